package io.testbed.tls.client.git;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads git pkt-lines: a 4-hex-digit length (including itself) and a payload; {@code 0000} is a
 * flush packet. Reads exactly what each packet declares, so a side-band stream can be demultiplexed
 * from the HTTP body without read-ahead.
 */
final class PktLineReader {
    static final int MAX_PKT = 65520;

    /** Returned for a flush packet ({@code 0000}). */
    static final byte[] FLUSH = new byte[0];

    private final InputStream in;
    private final byte[] lengthBuf = new byte[4];

    PktLineReader(InputStream in) {
        this.in = in;
    }

    /** The next packet's payload, {@link #FLUSH} for a flush, or null at end of stream. */
    byte[] read() throws IOException {
        int n = in.readNBytes(lengthBuf, 0, 4);
        if (n == 0) {
            return null;
        }
        if (n < 4) {
            throw new EOFException("stream ended inside a pkt-line length");
        }
        int len;
        try {
            len = Integer.parseInt(new String(lengthBuf, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            throw new GitProtocolException("bad pkt-line length '" + new String(lengthBuf, StandardCharsets.ISO_8859_1) + "'");
        }
        if (len == 0 || len == 1 || len == 2) {
            return FLUSH; // flush, delim (v2) and response-end (v2) all end a section here
        }
        if (len < 4 || len > MAX_PKT) {
            throw new GitProtocolException("bad pkt-line length " + len);
        }
        byte[] payload = in.readNBytes(len - 4);
        if (payload.length < len - 4) {
            throw new EOFException("stream ended inside a pkt-line (" + payload.length + " of " + (len - 4) + " bytes)");
        }
        return payload;
    }

    /** A packet's payload as text without its trailing newline. */
    static String text(byte[] payload) {
        int end = payload.length;
        if (end > 0 && payload[end - 1] == '\n') {
            end--;
        }
        return new String(payload, 0, end, StandardCharsets.UTF_8);
    }

    /** Encodes one text pkt-line. */
    static byte[] encode(String line) {
        byte[] data = line.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[data.length + 4];
        byte[] len = String.format("%04x", data.length + 4).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(len, 0, out, 0, 4);
        System.arraycopy(data, 0, out, 4, data.length);
        return out;
    }
}
