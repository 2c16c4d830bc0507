package io.testbed.git.server.marks;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The socket-level byte counts of one accepted connection: every byte Tomcat read from or wrote to the
 * kernel socket (TLS records, handshake flights and alerts included), as {@link CountingSocketChannel}
 * sees them. One object per connection, never reused: Tomcat recycles its channels, so a close mark
 * taken after the channel went back to the pool still reports this connection's counts.
 */
public final class ConnectionCounts {
    private final long id;
    private final InetAddress peer;
    private final int port;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicReference<Mark> last = new AtomicReference<>();

    /**
     * @param id   the board's connection number (increasing: tells a reused peer port's connections apart)
     * @param peer the peer's address (kernel-sim's real socket)
     * @param port the peer's port: kernel-sim's local port of its real socket
     */
    ConnectionCounts(long id, InetAddress peer, int port) {
        this.id = id;
        this.peer = peer;
        this.port = port;
    }

    public long id() {
        return id;
    }

    public InetAddress peer() {
        return peer;
    }

    public int port() {
        return port;
    }

    public long read() {
        return read.get();
    }

    public long written() {
        return written.get();
    }

    void addRead(long n) {
        if (n > 0) {
            read.addAndGet(n);
        }
    }

    void addWritten(long n) {
        if (n > 0) {
            written.addAndGet(n);
        }
    }

    /** A mark of this connection's counts now, with the next sequence number; kept as the latest. */
    Mark mark(Mark.Kind kind) {
        Mark m = new Mark(port, id, seq.incrementAndGet(), read.get(), written.get(), kind);
        last.set(m);
        return m;
    }

    /** The latest mark, or null before the first. */
    Mark last() {
        return last.get();
    }
}
