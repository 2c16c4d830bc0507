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

    @Override
    void close();
}
