package io.testbed.git.server.marks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.ExceptionUtils;
import io.testbed.web.tomcat.DeadlineNioEndpoint;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SecureNioChannel;
import org.apache.tomcat.util.net.SocketBufferHandler;

/**
 * Tomcat's NIO endpoint that tells the {@link MarkBoard} when a connection has written all it will
 * write until it reads more: each channel reads and writes through a {@link CountingSocketChannel}, and
 * the socket wrapper reports the counts the moment Tomcat registers the connection for read interest
 * with nothing left to write. Every wait for input passes there: the TLS handshake waiting for the
 * client's next flight ({@code SocketProcessor} after {@code handshake()} returns OP_READ), a kept-alive
 * connection between requests and a request line or headers still incomplete (the protocol handler
 * after {@code process()} returns OPEN), and a servlet blocked reading a request body
 * ({@code fillReadBuffer(block)}). The close is reported after Tomcat's own close (the TLS close_notify
 * included). A freshly accepted connection is reported as waiting with nothing read or written.
 *
 * <p>Written against Tomcat 11.0's NioEndpoint: {@link #setSocketOptions} is the stock method with the
 * counting channel and the marking wrapper put in. Sendfile is off, because it writes past the channel.
 * Without a board (none set) it behaves as the stock endpoint. It is a {@link DeadlineNioEndpoint} (testbed-web), so
 * the HTTPS connector's TLS handshakes are bounded in all; its own accept tells that endpoint when each begins.
 */
public class MarkingNioEndpoint extends DeadlineNioEndpoint {
    private static final Log LOG = LogFactory.getLog(MarkingNioEndpoint.class);

    private volatile MarkBoard board;

    public MarkingNioEndpoint() {
        setUseSendfile(false);
    }

    void board(MarkBoard board) {
        this.board = board;
    }

    @Override
    protected NioChannel createChannel(SocketBufferHandler buffer) {
        if (board == null) {
            return super.createChannel(buffer);
        }
        return isSSLEnabled() ? new CountingSecureChannel(buffer, this) : new CountingPlainChannel(buffer);
    }

    @Override
    protected boolean setSocketOptions(SocketChannel socket) {
        MarkBoard b = board;
        if (b == null) {
            return super.setSocketOptions(socket);
        }
        MarkingSocketWrapper socketWrapper = null;
        try {
            SocketAddress remote = socket.getRemoteAddress();
            if (!(remote instanceof InetSocketAddress peer)) {
                return super.setSocketOptions(socket); // a Unix domain socket has no peer port to report
            }
            // disable blocking, polling will be used (before the counting channel mirrors the mode)
            socket.configureBlocking(false);
            NioChannel channel = null;
            if (getNioChannels() != null) {
                channel = getNioChannels().pop();
            }
            if (!(channel instanceof Counting)) {
                SocketBufferHandler bufhandler = new SocketBufferHandler(socketProperties.getAppReadBufSize(),
                        socketProperties.getAppWriteBufSize(), socketProperties.getDirectBuffer());
                channel = createChannel(bufhandler);
            }
            ConnectionCounts counts = b.accepted(peer);
            ((Counting) channel).counts(counts);
            MarkingSocketWrapper newWrapper = new MarkingSocketWrapper(channel, this, b, counts);
            channel.reset(socket, newWrapper);
            connections.put(socket, newWrapper);
            socketWrapper = newWrapper;

            socketProperties.setProperties(socket.socket());
            socketWrapper.setReadTimeout(getConnectionTimeout());
            socketWrapper.setWriteTimeout(getConnectionTimeout());
            socketWrapper.setKeepAliveLeft(getMaxKeepAliveRequests());
            handshakeBegins(socketWrapper);
            b.publish(counts, Mark.Kind.WAIT); // accepted: nothing read, nothing written, waiting for the client
            getPoller().register(socketWrapper);
            return true;
        } catch (Throwable t) {
            ExceptionUtils.handleThrowable(t);
            try {
                LOG.error("setting the socket options of an accepted connection failed", t);
            } catch (Throwable tt) {
                ExceptionUtils.handleThrowable(tt);
            }
            if (socketWrapper == null) {
                destroySocket(socket);
            }
        }
        return false;
    }

    /** A channel whose socket I/O is counted for one connection at a time. */
    interface Counting {
        void counts(ConnectionCounts counts);
    }

    /** TLS: the stock secure channel on a counting socket channel. */
    static final class CountingSecureChannel extends SecureNioChannel implements Counting {
        private ConnectionCounts counts;
        private SocketChannel real;

        CountingSecureChannel(SocketBufferHandler buffer, NioEndpoint endpoint) {
            super(buffer, endpoint);
        }

        @Override
        public void counts(ConnectionCounts counts) {
            this.counts = counts;
        }

        @Override
        public void reset(SocketChannel channel, NioSocketWrapper socketWrapper) throws IOException {
            real = channel;
            super.reset(channel == null ? null : new CountingSocketChannel(channel, counts), socketWrapper);
        }

        @Override
        public SocketChannel getIOChannel() {
            return real;
        }
    }

    /** Plain HTTP: the stock channel on a counting socket channel. */
    static final class CountingPlainChannel extends NioChannel implements Counting {
        private ConnectionCounts counts;
        private SocketChannel real;

        CountingPlainChannel(SocketBufferHandler buffer) {
            super(buffer);
        }

        @Override
        public void counts(ConnectionCounts counts) {
            this.counts = counts;
        }

        @Override
        public void reset(SocketChannel channel, NioSocketWrapper socketWrapper) throws IOException {
            real = channel;
            super.reset(channel == null ? null : new CountingSocketChannel(channel, counts), socketWrapper);
        }

        @Override
        public SocketChannel getIOChannel() {
            return real;
        }
    }

    /** Reports each wait for input (with nothing left to write) and the close. */
    static final class MarkingSocketWrapper extends NioSocketWrapper {
        private final MarkBoard board;
        private final ConnectionCounts counts;

        MarkingSocketWrapper(NioChannel channel, NioEndpoint endpoint, MarkBoard board, ConnectionCounts counts) {
            super(channel, endpoint);
            this.board = board;
            this.counts = counts;
        }

        @Override
        public void registerReadInterest() {
            // before the registration: once registered, the poller may hand new input to another thread
            if (!hasDataToWrite()) {
                board.publish(counts, Mark.Kind.WAIT);
            }
            super.registerReadInterest();
        }

        @Override
        protected void doClose() {
            try {
                super.doClose();
            } finally {
                board.closed(counts);
            }
        }
    }
}
