package io.testbed.tls.client.engine;

import io.testbed.tls.client.transport.SyscallSocket;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Drives any {@link SSLEngine} (SunJSSE, Bouncy Castle JSSE, Netty's BoringSSL engine) over a
 * {@link SyscallSocket} with {@code wrap}/{@code unwrap}: the engine never sees a socket, every byte
 * it produces goes out with {@code sendto}, every byte it consumes came from one {@code recvfrom}
 * of the socket's read size. Delegated tasks run inline on the download's thread (their CPU is
 * userspace time like the rest of the engine's work).
 */
final class SslEngineConnection extends StreamingTlsConnection {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final SyscallSocket socket;
    private final Runnable release;
    /** Received ciphertext not yet consumed; write mode. */
    private ByteBuffer netIn;
    /** Decrypted data not yet read; write mode. */
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private boolean inboundDone;
    private boolean closed;
    private IOException failure;

    SslEngineConnection(SSLEngine engine, SyscallSocket socket, Runnable release) {
        this.engine = engine;
        this.socket = socket;
        this.release = release;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Runs the handshake to completion; on failure sends the engine's alert if it has one. */
    void handshake() throws IOException {
        try {
            engine.beginHandshake();
            HandshakeStatus hs = engine.getHandshakeStatus();
            while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
                hs = switch (hs) {
                    case NEED_WRAP -> {
                        SSLEngineResult r = wrap(EMPTY);
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new SSLException("the TLS engine closed during the handshake");
                        }
                        yield r.getHandshakeStatus();
                    }
                    case NEED_TASK -> runTasks();
                    default -> {
                        SSLEngineResult r = unwrap();
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !fill()) {
                            throw new EOFException("connection closed by the server during the TLS handshake");
                        }
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new SSLException("the server closed the TLS connection during the handshake");
                        }
                        yield r.getHandshakeStatus() == HandshakeStatus.NEED_TASK ? runTasks() : engine.getHandshakeStatus();
                    }
                };
            }
        } catch (IOException | RuntimeException e) {
            sendPendingAlert();
            throw e;
        }
    }

    private HandshakeStatus runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }

    /** Encrypts {@code src} (or makes handshake/alert output) and sends whatever the engine produced. */
    private SSLEngineResult wrap(ByteBuffer src) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                continue;
            }
            netOut.flip();
            if (netOut.hasRemaining()) {
                socket.send(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
            }
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            return r;
        }
    }

    /** One unwrap of the buffered ciphertext; grows the buffers on overflow. */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (netIn.remaining() == 0) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    }
                    return r;
                }
                default -> {
                    return r;
                }
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + atLeast));
        b.flip();
        bigger.put(b);
        return bigger;
    }

    /** One socket read into the ciphertext buffer; false at end of stream. */
    private boolean fill() throws IOException {
        byte[] data = socket.recv();
        if (data == null) {
            return false;
        }
        if (netIn.remaining() < data.length) {
            netIn = grow(netIn, data.length);
        }
        netIn.put(data);
        return true;
    }

    private void sendPendingAlert() {
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(EMPTY, netOut);
                netOut.flip();
                if (netOut.hasRemaining()) {
                    socket.send(netOut.array(), netOut.arrayOffset() + netOut.position(), netOut.remaining());
                }
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // the connection is failing anyway
        }
    }

    /** Reads decrypted bytes; -1 at the server's close_notify or at the end of the TCP stream. */
    @Override
    int readDecrypted(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure; // sticky: a reader that retries after a failure sees the cause
        }
        try {
            while (appIn.position() == 0) {
                if (inboundDone) {
                    return -1;
                }
                SSLEngineResult r = unwrap();
                switch (r.getStatus()) {
                    case CLOSED -> inboundDone = true;
                    case BUFFER_UNDERFLOW -> {
                        if (!fill()) {
                            inboundDone = true; // truncation shows in the HTTP framing above
                        }
                    }
                    default -> {
                        HandshakeStatus hs = r.getHandshakeStatus();
                        if (hs == HandshakeStatus.NEED_TASK) {
                            hs = runTasks();
                        }
                        if (hs == HandshakeStatus.NEED_WRAP) {
                            wrap(EMPTY); // e.g. a TLS 1.3 KeyUpdate answer
                        }
                    }
                }
            }
            appIn.flip();
            int n = Math.min(len, appIn.remaining());
            appIn.get(b, off, n);
            appIn.compact();
            return n;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    void writePlain(byte[] b, int off, int len) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(b, off, len);
        while (src.hasRemaining()) {
            SSLEngineResult r = wrap(src);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS connection is closed");
            }
        }
    }

    @Override
    int decryptedAvailable() {
        return appIn.position();
    }

    @Override
    public String protocol() {
        return engine.getSession().getProtocol();
    }

    @Override
    public String cipherSuite() {
        return engine.getSession().getCipherSuite();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failure == null) {
                engine.closeOutbound();
                wrap(EMPTY); // close_notify
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort close_notify
        } finally {
            try {
                engine.closeInbound();
            } catch (SSLException | RuntimeException ignored) {
                // "closed without close_notify" is no news here
            }
            socket.close();
            release.run();
        }
    }
}
