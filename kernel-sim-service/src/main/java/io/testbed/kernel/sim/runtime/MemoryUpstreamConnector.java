package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.net.remote.Upstream;
import io.testbed.kernel.sim.net.remote.UpstreamConnector;
import io.testbed.kernel.sim.net.remote.UpstreamListener;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A synthetic upstream with no socket and no thread: a bulk server in memory. A connection reads one
 * line {@code "<n>\n"} and answers with n deterministic bytes ({@link #expected(long)}), then EOF, like
 * the tests' real {@code BulkServer}. Every callback is posted to the machine's engine inbox the moment
 * the model calls in, and it reports marks (waiting for the rest of its request line after reading what
 * came so far), so on the virtual clock no hold for a real upstream ever waits: a bulk transfer through a
 * whole machine runs as fast as the engine fires events, and repeats exactly.
 *
 * <p>The answer is handed over within the read-ahead credit ({@code upstream.buffer_bytes}) and topped
 * up as the model reports bytes consumed, as the socket connector does. Only the configured
 * {@code host:port} endpoints are served; anything else is refused (answered with RST), as an endpoint
 * missing from the allow-list is.
 */
public final class MemoryUpstreamConnector implements UpstreamConnector {
    /** The largest answer one request may ask for (1 TiB): a bound on the input, not on memory. */
    public static final long MAX_ANSWER = 1L << 40;
    private static final int CHUNK = 64 * 1024;

    private final Set<String> endpoints;
    private final Consumer<Runnable> engine;
    private final long readAheadBytes;

    /**
     * @param endpoints      served {@code host:port} pairs (host case-insensitive)
     * @param engine         runs a callback on the machine's engine thread (its inbox)
     * @param readAheadBytes bytes handed to the model before it consumes some ({@code upstream.buffer_bytes})
     */
    public MemoryUpstreamConnector(Set<String> endpoints, Consumer<Runnable> engine, long readAheadBytes) {
        if (readAheadBytes <= 0) {
            throw new IllegalArgumentException("read-ahead must be positive, got " + readAheadBytes);
        }
        this.endpoints = endpoints.stream().map(e -> e.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.engine = engine;
        this.readAheadBytes = readAheadBytes;
    }

    /** A registry's connector factory serving these {@code host:port} endpoints from memory. */
    public static io.testbed.kernel.sim.runtime.MachineRegistry.ConnectorFactory factory(String... endpoints) {
        Set<String> served = Set.of(endpoints);
        return (allowList, engine, settings, timeoutMs) ->
                new MemoryUpstreamConnector(served, engine, settings.getInt(Settings.UPSTREAM_BUFFER_BYTES));
    }

    /** Byte {@code i} of every answer (the same pattern as the tests' real bulk server). */
    public static byte expected(long i) {
        return (byte) ((i * 31 + 7) & 0xff);
    }

    @Override
    public Upstream open(String host, int port, UpstreamListener listener) {
        if (host == null || !endpoints.contains(host.toLowerCase(Locale.ROOT) + ":" + port)) {
            return null;
        }
        return new Connection(listener);
    }

    private final class Connection implements Upstream {
        private final UpstreamListener listener;
        private final StringBuilder line = new StringBuilder();
        private long total = -1;
        private long produced;
        private long credit = readAheadBytes;
        private long read;
        private boolean pumpPosted;
        private boolean done;

        Connection(UpstreamListener listener) {
            this.listener = listener;
        }

        @Override
        public boolean marks() {
            return true;
        }

        @Override
        public void connect() {
            engine.accept(listener::connected);
            engine.accept(() -> listener.marked(0, 0, false)); // accepted: waits for its request
        }

        @Override
        public void write(byte[] data) {
            engine.accept(listener::writeDone);
            read += data.length;
            if (done) {
                return;
            }
            take(data);
            if (total < 0 && !done) {
                long r = read;
                engine.accept(() -> listener.marked(r, 0, false)); // the line is not complete: it waits for more
            }
        }

        private void take(byte[] data) {
            for (byte b : data) {
                if (total >= 0) {
                    return; // one request per connection; later bytes are ignored, as the bulk server does
                }
                if (b == '\n') {
                    total = parse(line.toString().trim());
                    if (total < 0) {
                        done = true;
                        engine.accept(() -> listener.reset("bad request '" + line + "'"));
                        return;
                    }
                    schedulePump();
                } else if (line.length() < 32) {
                    line.append((char) b);
                }
            }
        }

        private static long parse(String s) {
            try {
                long n = Long.parseLong(s);
                return n >= 0 && n <= MAX_ANSWER ? n : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private void schedulePump() {
            if (!pumpPosted && !done) {
                pumpPosted = true;
                engine.accept(this::pump);
            }
        }

        /** Hands the model what the credit allows, then EOF once the whole answer is out. */
        private void pump() {
            pumpPosted = false;
            if (done) {
                return;
            }
            while (produced < total && credit > 0) {
                int n = (int) Math.min(CHUNK, Math.min(total - produced, credit));
                byte[] chunk = new byte[n];
                for (int k = 0; k < n; k++) {
                    chunk[k] = expected(produced + k);
                }
                produced += n;
                credit -= n;
                listener.data(chunk);
            }
            if (produced == total) {
                done = true;
                listener.eof();
            }
        }

        @Override
        public void shutdownOutput() {
            // the bulk server answers regardless of the client's FIN
        }

        @Override
        public void consumed(int bytes) {
            credit += bytes;
            if (total >= 0 && produced < total) {
                schedulePump();
            }
        }

        @Override
        public void close() {
            done = true;
        }
    }
}
