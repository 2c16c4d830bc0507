package io.testbed.web.tomcat;

import org.apache.coyote.Adapter;
import org.apache.coyote.Processor;
import org.apache.coyote.RequestInfo;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The bounds of one connector (issue 16, item 3), shared by its protocol and its endpoint
 * ({@link DeadlineNioEndpoint} owns them): a request's line and headers in all ({@link #processor}), the TLS
 * handshake in all ({@link DeadlineNioEndpoint}), and the socket write timeout.
 * <p>
 * A protocol class carries them by extending {@link HeaderDeadline.Protocol}, or, when it must extend another
 * protocol (git-http-server's marking one), by running on a {@link DeadlineNioEndpoint}, implementing
 * {@link Bounded} and creating its processors with {@link #processor}. The handshake bound needs the endpoint;
 * a protocol on another endpoint gets the header bound and the write timeout only.
 */
public final class ConnectionDeadlines {

    /** A protocol handler whose connections these bounds apply to; {@link HeaderDeadline} configures it. */
    public interface Bounded {
        ConnectionDeadlines deadlines();
    }

    private volatile long maxHeaderNanos = TimeUnit.SECONDS.toNanos(10);
    private volatile long maxHandshakeNanos = TimeUnit.SECONDS.toNanos(10);
    private volatile long writeTimeoutMs;
    /** A connection's request that has begun and not yet been dispatched -> when its first byte came. */
    private final Map<SocketWrapperBase<?>, Long> started = Collections.synchronizedMap(new WeakHashMap<>());
    /** A TLS connection whose handshake has not completed -> when it was accepted. */
    private final Map<SocketWrapperBase<?>, Long> handshaking = Collections.synchronizedMap(new WeakHashMap<>());

    public void setMaxHeaderTime(long millis) {
        this.maxHeaderNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    public long getMaxHeaderTime() {
        return TimeUnit.NANOSECONDS.toMillis(maxHeaderNanos);
    }

    /** The whole TLS handshake's bound, ms; 0 leaves only Tomcat's per-read connection-timeout. */
    public void setMaxHandshakeTime(long millis) {
        this.maxHandshakeNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    public long getMaxHandshakeTime() {
        return TimeUnit.NANOSECONDS.toMillis(maxHandshakeNanos);
    }

    /**
     * A TLS connection was accepted: its handshake is due within the bound from now, so its first wait is no longer.
     */
    void handshakeBegins(SocketWrapperBase<?> socket, long connectionTimeoutMs) {
        if (maxHandshakeNanos > 0) {
            handshaking.put(socket, System.nanoTime());
            long boundMs = TimeUnit.NANOSECONDS.toMillis(maxHandshakeNanos);
            socket.setReadTimeout(connectionTimeoutMs > 0 ? Math.min(connectionTimeoutMs, boundMs) : boundMs);
        }
    }

    /**
     * The handshake of {@code socket} goes on (input came, or its wait ran out): false when it is past the bound
     * and the connection is to be closed; else its next wait is shortened to what is left. Tomcat's poller measures a
     * wait from the socket's last read, which the handshake's own reads do not move (it stays at the accept), so the
     * timeout is what is left counted from there.
     */
    boolean handshakeMayContinue(SocketWrapperBase<?> socket, long connectionTimeoutMs, long lastReadMs) {
        long bound = maxHandshakeNanos;
        if (bound <= 0) {
            handshaking.remove(socket);
            return true;
        }
        long now = System.nanoTime();
        long first = handshaking.computeIfAbsent(socket, s -> now);
        long leftMs = TimeUnit.NANOSECONDS.toMillis(first + bound - now);
        if (leftMs <= 0) {
            handshaking.remove(socket);
            return false;
        }
        long sinceLastRead = Math.max(0, System.currentTimeMillis() - lastReadMs);
        long timeout = leftMs + sinceLastRead;
        socket.setReadTimeout(connectionTimeoutMs > 0 ? Math.min(connectionTimeoutMs, timeout) : timeout);
        return true;
    }

    /** The handshake is over (the first request is being read): waits are Tomcat's again. */
    private void handshakeDone(SocketWrapperBase<?> socket, long connectionTimeoutMs) {
        if (handshaking.remove(socket) != null) {
            socket.setReadTimeout(Math.max(connectionTimeoutMs, 0));
        }
    }

    /** The socket write timeout, ms; 0 leaves Tomcat's (the connection-timeout). */
    public void setWriteTimeout(long millis) {
        this.writeTimeoutMs = millis;
    }

    public long getWriteTimeout() {
        return writeTimeoutMs;
    }

    /** Tomcat's HTTP/1.1 processor for {@code protocol}, with these bounds on each request's line and headers. */
    public Processor processor(AbstractHttp11Protocol<?> protocol, Adapter adapter) {
        return new BoundedProcessor(protocol, adapter);
    }

    /**
     * Each time it stops for want of more header bytes, measures the time since the request's first byte; past
     * the bound it closes the connection, before it shortens the next read's wait to what is left.
     */
    private final class BoundedProcessor extends Http11Processor {
        private final AbstractHttp11Protocol<?> protocol;

        BoundedProcessor(AbstractHttp11Protocol<?> protocol, Adapter adapter) {
            super(protocol, adapter);
            this.protocol = protocol;
        }

        @Override
        public SocketState service(SocketWrapperBase<?> socket) throws IOException {
            if (writeTimeoutMs > 0) {
                socket.setWriteTimeout(writeTimeoutMs);
            }
            handshakeDone(socket, protocol.getConnectionTimeout());
            if (started.containsKey(socket)) {
                // the header bytes that woke us are read without waiting; a body read after them waits as Tomcat says
                socket.setReadTimeout(Math.max(protocol.getConnectionTimeout(), 0));
            }
            RequestInfo info = request.getRequestProcessor();
            int completed = info.getRequestCount();
            SocketState state = super.service(socket);
            if (info.getRequestCount() != completed) {
                // a request went through: a later one has its own bound
                started.remove(socket);
            }
            // parked for want of header bytes: a request line begun (LONG), or only blank lines read so far (OPEN)
            boolean waitingForHeaders = (state == SocketState.LONG || state == SocketState.OPEN) && !isAsync()
                    && request.getStartTimeNanos() != -1;
            if (!waitingForHeaders) {
                started.remove(socket);
                return state;
            }
            long first = started.computeIfAbsent(socket, s -> request.getStartTimeNanos());
            long leftMs = TimeUnit.NANOSECONDS.toMillis(first + maxHeaderNanos - System.nanoTime());
            if (leftMs <= 0) {
                started.remove(socket);
                return SocketState.CLOSED;
            }
            long idle = protocol.getConnectionTimeout();
            socket.setReadTimeout(idle > 0 ? Math.min(idle, leftMs) : leftMs);
            return state;
        }
    }
}
