package io.testbed.kernel.sim.calibration;

import io.testbed.kernel.sim.net.remote.Upstream;
import io.testbed.kernel.sim.net.remote.UpstreamConnector;
import io.testbed.kernel.sim.net.remote.UpstreamListener;

/**
 * In-memory remote hosts for the calibration programs: no real sockets, so a run is deterministic and
 * needs no ports. Their answers take no simulated time of their own (as the engine treats real ones).
 */
public final class Connectors {
    /** No remote host at all. */
    public static final UpstreamConnector NONE = (host, port, listener) -> null;

    private Connectors() {
    }

    /** A host that accepts the connection and never sends a byte (Ollama computing its answer). */
    public static UpstreamConnector silent() {
        return (host, port, listener) -> new Memory(listener, new byte[0], false);
    }

    /** A host that answers the first request with {@code bytes} bytes, then closes its side. */
    public static UpstreamConnector bulk(int bytes) {
        return (host, port, listener) -> new Memory(listener, new byte[bytes], true);
    }

    private static final class Memory implements Upstream {
        private final UpstreamListener listener;
        private final byte[] answer;
        private final boolean closeAfter;
        private boolean answered;

        Memory(UpstreamListener listener, byte[] answer, boolean closeAfter) {
            this.listener = listener;
            this.answer = answer;
            this.closeAfter = closeAfter;
        }

        @Override
        public void connect() {
            listener.connected();
        }

        @Override
        public void write(byte[] data) {
            listener.writeDone();
            if (!answered && answer.length > 0) {
                answered = true;
                listener.data(answer);
                if (closeAfter) {
                    listener.eof();
                }
            }
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void consumed(int bytes) {
        }

        @Override
        public void close() {
        }
    }
}
