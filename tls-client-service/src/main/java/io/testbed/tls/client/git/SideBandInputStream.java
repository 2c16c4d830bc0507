package io.testbed.tls.client.git;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Demultiplexes a side-band(-64k) response: band 1 is returned as the stream's data (the pack),
 * band 2 progress text is kept (the last few lines), band 3 fails the read with the server's
 * message. The stream ends at the flush packet that closes the response.
 */
final class SideBandInputStream extends InputStream {
    private static final int KEEP_PROGRESS_LINES = 20;

    private final PktLineReader pkt;
    private final Deque<String> progress = new ArrayDeque<>();
    private final StringBuilder partialProgress = new StringBuilder();
    /** The current packet's payload (reused from packet to packet), its length and how far it has been read. */
    private final byte[] current = new byte[PktLineReader.MAX_PKT - 4];
    private int length;
    private int pos = 1;
    private boolean done;

    SideBandInputStream(PktLineReader pkt) {
        this.pkt = pkt;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos >= length) {
            if (done || !nextDataPacket()) {
                return -1;
            }
        }
        int n = Math.min(len, length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Reads packets until a band-1 packet (true) or the end (false). */
    private boolean nextDataPacket() throws IOException {
        while (true) {
            int n = pkt.readInto(current);
            if (n == PktLineReader.END) {
                throw new GitProtocolException("upload-pack response ended without a flush packet");
            }
            if (n == PktLineReader.FLUSH_LENGTH) {
                length = 0;
                done = true;
                return false;
            }
            if (n == 0) {
                continue;
            }
            switch (current[0]) {
                case 1 -> {
                    length = n;
                    pos = 1;
                    return true;
                }
                case 2 -> progress(new String(current, 1, n - 1, StandardCharsets.UTF_8));
                case 3 -> throw new GitServerException(new String(current, 1, n - 1, StandardCharsets.UTF_8).strip());
                default -> throw new GitProtocolException("unknown side-band channel " + (current[0] & 0xff));
            }
        }
    }

    /** Reads to the final flush so that progress after the pack is kept and trailing errors surface. */
    void drain() throws IOException {
        byte[] skip = new byte[8192];
        while (read(skip, 0, skip.length) >= 0) {
            // band-1 bytes after the pack end would be a protocol error caught by the pack parser
        }
    }

    private void progress(String text) {
        for (char c : text.toCharArray()) {
            if (c == '\r' || c == '\n') {
                if (partialProgress.length() > 0) {
                    if (progress.size() == KEEP_PROGRESS_LINES) {
                        progress.removeFirst();
                    }
                    progress.addLast(partialProgress.toString());
                    partialProgress.setLength(0);
                }
            } else {
                partialProgress.append(c);
            }
        }
    }

    List<String> progressLines() {
        return List.copyOf(progress);
    }
}
