package io.testbed.tls.client.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The stream side every engine's connection shares: {@link #input()} and {@link #output()} adapt a
 * connection's own decrypting read and encrypting write to {@link InputStream} and {@link OutputStream}.
 */
abstract class StreamingTlsConnection implements TlsConnection {

    private final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : readDecrypted(b, off, len);
        }

        @Override
        public int available() {
            return decryptedAvailable();
        }
    };

    private final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writePlain(b, off, len);
        }
    };

    /** Up to {@code len} (> 0) decrypted bytes, waiting for some; -1 at the end of the stream. */
    abstract int readDecrypted(byte[] b, int off, int len) throws IOException;

    /** Encrypts and sends. */
    abstract void writePlain(byte[] b, int off, int len) throws IOException;

    /** Decrypted bytes that can be read without waiting. */
    abstract int decryptedAvailable();

    @Override
    public final InputStream input() {
        return input;
    }

    @Override
    public final OutputStream output() {
        return output;
    }
}
