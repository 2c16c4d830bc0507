package io.testbed.tls.client.engine;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An established TLS connection. {@link #input()} returns decrypted application data and ends at
 * the server's close_notify or the end of the TCP stream; {@link #output()} encrypts and sends on
 * {@code flush()} (or at once). {@link #close()} sends close_notify if possible and closes the socket.
 */
public interface TlsConnection extends Closeable {

    InputStream input();

    OutputStream output();

    /** The negotiated protocol version ("TLSv1.3"). */
    String protocol();

    /** The negotiated cipher suite ("TLS_AES_128_GCM_SHA256"). */
    String cipherSuite();

    /**
     * After the stream ended early: whether the kernel says the peer reset the TCP connection (a
     * zero-length {@code sendto} answered {@code ECONNRESET}). Costs a syscall, so it is asked only
     * on a failure path. False when unknown.
     */
    default boolean peerReset() {
        return false;
    }

    @Override
    void close();
}
