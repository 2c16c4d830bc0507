package io.testbed.git.server.marks;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the HTTPS connector's connections report their marks and subscribers pick up those of their own
 * connections. A connection is known by its peer's address and port (for kernel-sim: its real socket's
 * local address and port); a subscriber only ever sees connections from its own address, one sink per
 * (address, port). Bounded: live connections are Tomcat's (its {@code max-connections}), subscriptions
 * are bounded per subscriber by {@link MarkFeedServer}.
 *
 * <p>Ordering: a connection's marks are published in the order Tomcat's threads produce them (each
 * registration for read follows the previous one); a subscription that starts while a mark is being
 * published may see that mark twice or the earlier one after it, which the sequence number sorts out.
 */
public final class MarkBoard {
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final Map<Key, ConnectionCounts> live = new ConcurrentHashMap<>();
    private final Map<Key, Sink> sinks = new ConcurrentHashMap<>();

    /** Receives one subscription's marks; returns false when it cannot take more (the subscriber is dropped). */
    @FunctionalInterface
    public interface Sink {
        boolean send(Mark mark);
    }

    private record Key(InetAddress peer, int port) {
    }

    /** A connection was accepted from {@code peer}: its counts, the newest for that peer port. */
    public ConnectionCounts accepted(InetSocketAddress peer) {
        ConnectionCounts c = new ConnectionCounts(ids.incrementAndGet(), peer.getAddress(), peer.getPort());
        live.put(new Key(c.peer(), c.port()), c);
        return c;
    }

    /** Reports the connection's counts now (waiting for input, or closed). */
    public void publish(ConnectionCounts c, Mark.Kind kind) {
        Mark m = c.mark(kind); // set as the latest first, then look for a sink: see subscribe()
        published.incrementAndGet();
        Sink sink = sinks.get(new Key(c.peer(), c.port()));
        if (sink != null) {
            sink.send(m);
        }
    }

    /** The connection is closed: a last mark, then it is forgotten. */
    public void closed(ConnectionCounts c) {
        publish(c, Mark.Kind.CLOSED);
        live.remove(new Key(c.peer(), c.port()), c);
    }

    /**
     * Sends {@code sink} the marks of the connection from {@code peer}:{@code port}, starting with its
     * latest one if it is already open. A later subscription for the same address and port replaces it.
     */
    public void subscribe(InetAddress peer, int port, Sink sink) {
        Key k = new Key(peer, port);
        sinks.put(k, sink); // first the sink, then the latest mark: a mark published meanwhile reaches it either way
        ConnectionCounts c = live.get(k);
        Mark latest = c == null ? null : c.last();
        if (latest != null) {
            sink.send(latest);
        }
    }

    public void unsubscribe(InetAddress peer, int port, Sink sink) {
        sinks.remove(new Key(peer, port), sink);
    }

    /** Connections open now. */
    public int liveConnections() {
        return live.size();
    }

    /** Subscriptions open now (all subscribers). */
    public int subscriptions() {
        return sinks.size();
    }

    /** Marks published since start. */
    public long published() {
        return published.get();
    }
}
