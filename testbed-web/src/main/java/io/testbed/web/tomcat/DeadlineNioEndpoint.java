package io.testbed.web.tomcat;

import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketProcessorBase;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.nio.channels.SocketChannel;

/**
 * Tomcat's NIO endpoint with a bound on a TLS handshake's total time ({@code testbed.http.max-handshake-time},
 * issue 16, item 3). Tomcat bounds only each wait for the client's next handshake bytes
 * ({@code connection-timeout}): a client sending its ClientHello a byte a second kept the connection, and a worker
 * each time a byte came, for as long as it liked. Here each handshake step first checks the time since the
 * connection was accepted: past the bound it is handled as an error (Tomcat closes the connection), else the next
 * wait is shortened to what is left. Plain connectors have no handshake and are not affected.
 * <p>
 * Written against Tomcat 11.0's {@code NioEndpoint}: its socket processor is the stock one, asked first. An endpoint
 * that accepts connections its own way ({@code setSocketOptions}) calls {@link #handshakeBegins} for each.
 */
public class DeadlineNioEndpoint extends NioEndpoint {

    private final ConnectionDeadlines deadlines = new ConnectionDeadlines();

    /** The bounds of this connector, shared with its protocol's processors. */
    public ConnectionDeadlines deadlines() {
        return deadlines;
    }

    @Override
    protected boolean setSocketOptions(SocketChannel socket) {
        boolean registered = super.setSocketOptions(socket);
        if (registered) {
            SocketWrapperBase<NioChannel> wrapper = connections.get(socket);
            if (wrapper != null) {
                handshakeBegins(wrapper);
            }
        }
        return registered;
    }

    /** An accepted connection: on a TLS connector its handshake's time starts now. */
    protected void handshakeBegins(SocketWrapperBase<NioChannel> wrapper) {
        if (isSSLEnabled()) {
            deadlines.handshakeBegins(wrapper, getConnectionTimeout());
        }
    }

    @Override
    protected SocketProcessorBase<NioChannel> createSocketProcessor(SocketWrapperBase<NioChannel> socketWrapper,
                                                                    SocketEvent event) {
        return new HandshakeBoundProcessor(socketWrapper, event);
    }

    /** When the poller counts the socket's current wait from (ms, wall clock): its last read, else now. */
    private static long lastRead(SocketWrapperBase<NioChannel> wrapper) {
        return wrapper instanceof NioSocketWrapper nio ? nio.getLastRead() : System.currentTimeMillis();
    }

    /** The stock processor, which first ends a handshake that is past its bound. */
    protected class HandshakeBoundProcessor extends SocketProcessor {

        public HandshakeBoundProcessor(SocketWrapperBase<NioChannel> socketWrapper, SocketEvent event) {
            super(socketWrapper, event);
        }

        @Override
        protected void doRun() {
            SocketWrapperBase<NioChannel> wrapper = socketWrapper;
            if (isSSLEnabled() && wrapper != null && !wrapper.getSocket().isHandshakeComplete()
                    && !deadlines.handshakeMayContinue(wrapper, getConnectionTimeout(), lastRead(wrapper))) {
                // the stock processor fails a handshake on ERROR: CONNECT_FAIL to the handler, then the close
                event = SocketEvent.ERROR;
            }
            super.doRun();
        }
    }
}
