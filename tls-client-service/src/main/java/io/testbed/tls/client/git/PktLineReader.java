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
    /** The part size of JDK 17's {@code InputStream.readNBytes(int)} ({@code DEFAULT_BUFFER_SIZE}), which the reads follow. */
    private static final int READ_PART = 8192;

    /** Returned for a flush packet ({@code 0000}). */
    static final byte[] FLUSH = new byte[0];
    /** {@link #readInto}'s answer for a flush packet. */
    static final int FLUSH_LENGTH = -1;
    /** {@link #readInto}'s answer at end of stream. */
    static final int END = -2;

    private final InputStream in;
    private final byte[] lengthBuf = new byte[4];

    PktLineReader(InputStream in) {
        this.in = in;
    }

    /** The next packet's payload, {@link #FLUSH} for a flush, or null at end of stream. */
    byte[] read() throws IOException {
        int len = readLength();
        if (len == END) {
            return null;
        }
        if (len == FLUSH_LENGTH) {
            return FLUSH;
        }
        byte[] payload = new byte[len];
        readPayload(payload, len);
        return payload;
    }

    /**
     * The next packet's payload into {@code into} (at least {@link #MAX_PKT} - 4 bytes long, reused by the caller):
     * its length, {@link #FLUSH_LENGTH} for a flush, or {@link #END} at end of stream. Reads what {@link #read()}
     * reads, without a new array per packet.
     */
    int readInto(byte[] into) throws IOException {
        int len = readLength();
        if (len >= 0) {
            readPayload(into, len);
        }
        return len;
    }

    /** The next packet's payload length, {@link #FLUSH_LENGTH} or {@link #END}. */
    private int readLength() throws IOException {
        int n = in.readNBytes(lengthBuf, 0, 4);
        if (n == 0) {
            return END;
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
            return FLUSH_LENGTH; // flush, delim (v2) and response-end (v2) all end a section here
        }
        if (len < 4 || len > MAX_PKT) {
            throw new GitProtocolException("bad pkt-line length " + len);
        }
        return len - 4;
    }

    /**
     * Reads {@code len} payload bytes with the very reads JDK 17's {@code InputStream.readNBytes(len)} makes: parts of
     * at most 8 KiB, each followed by a read of length 0. Those empty reads matter: a chunked HTTP body reads its next
     * chunk line on one (which may need a TLS record, so a recvfrom), and with modelled CPU the work charged before
     * each syscall, so the trace, depends on where that happens. Reading into a reused array instead of readNBytes'
     * new ones saves an allocation and a copy of every pack byte; the reads, and so the syscalls, stay the same.
     */
    private void readPayload(byte[] into, int len) throws IOException {
        int total = 0;
        int n;
        do {
            int partEnd = total + Math.min(len - total, READ_PART);
            while ((n = in.read(into, total, partEnd - total)) > 0) {
                total += n;
            }
        } while (n >= 0 && total < len);
        if (total < len) {
            throw new EOFException("stream ended inside a pkt-line (" + total + " of " + len + " bytes)");
        }
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
