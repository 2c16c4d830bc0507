package io.testbed.tls.client.scratch;

import io.testbed.tls.client.http.HttpProtocolException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * scratch's streaming chunked-transfer decoder ({@code ChunkedState}, userspace/scratch/src/stream.rs
 * at 7b52ac2): size line, data, CRLF; a zero size ends it. Fed what each TLS read decrypted.
 */
final class ChunkedDecoder {
    private enum State { SIZE, DATA, CRLF }

    private byte[] buffer = new byte[0];
    private int remaining;
    private State state = State.SIZE;
    private boolean done;

    boolean done() {
        return done;
    }

    /** The body bytes decoded from {@code data} (with what was left over before). */
    byte[] process(byte[] data, int off, int len) throws HttpProtocolException {
        byte[] b = new byte[buffer.length + len];
        System.arraycopy(buffer, 0, b, 0, buffer.length);
        System.arraycopy(data, off, b, buffer.length, len);
        int pos = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (pos < b.length && !done) {
            if (state == State.SIZE) {
                int crlf = indexOfCrlf(b, pos);
                if (crlf < 0) {
                    break;
                }
                String line = new String(b, pos, crlf - pos, StandardCharsets.ISO_8859_1);
                int semi = line.indexOf(';');
                String size = (semi >= 0 ? line.substring(0, semi) : line).trim();
                try {
                    remaining = Integer.parseInt(size, 16);
                } catch (NumberFormatException e) {
                    throw new HttpProtocolException("invalid chunk size hex '" + size + "'");
                }
                if (remaining < 0) {
                    throw new HttpProtocolException("invalid chunk size hex '" + size + "'");
                }
                pos = crlf + 2;
                if (remaining == 0) {
                    done = true;
                    break;
                }
                state = State.DATA;
            } else if (state == State.DATA) {
                int n = Math.min(remaining, b.length - pos);
                out.write(b, pos, n);
                pos += n;
                remaining -= n;
                if (remaining > 0) {
                    break;
                }
                state = State.CRLF;
            } else {
                if (b.length - pos < 2) {
                    break;
                }
                if (b[pos] == '\r' && b[pos + 1] == '\n') {
                    pos += 2;
                }
                state = State.SIZE;
            }
        }
        buffer = java.util.Arrays.copyOfRange(b, pos, b.length);
        return out.toByteArray();
    }

    static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The whole-body decoder of scratch's http.rs ({@code decode_chunked}). */
    static byte[] decodeAll(byte[] data) throws HttpProtocolException {
        ChunkedDecoder d = new ChunkedDecoder();
        byte[] out = d.process(data, 0, data.length);
        if (!d.done && d.state == State.DATA && d.remaining > 0) {
            throw new HttpProtocolException("invalid chunked encoding: data shorter than its chunk size");
        }
        return out;
    }
}
