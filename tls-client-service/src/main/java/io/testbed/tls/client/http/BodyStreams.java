package io.testbed.tls.client.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The two framed body forms of HTTP/1.1 (sized and chunked) and line reading for the head. */
final class BodyStreams {
    static final int MAX_LINE = 16 * 1024;

    private BodyStreams() {
    }

    /** Reads one CRLF- (or LF-) terminated ISO-8859-1 line; null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (sb.length() == 0) {
                    return null;
                }
                throw new HttpProtocolException("connection closed in the middle of a line: " + sb, true);
            }
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new HttpProtocolException("header line longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) c);
        }
    }

    /** A body of exactly {@code length} bytes; a shorter stream is an error. */
    static final class Sized extends InputStream {
        private final InputStream in;
        private final long length;
        private long left;

        Sized(InputStream in, long length) {
            this.in = in;
            this.length = length;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new HttpProtocolException("connection closed after " + (length - left) + " of " + length + " body bytes", true);
            }
            left -= n;
            return n;
        }
    }

    /** A chunked body (RFC 9112 7.1); trailers are read and dropped. */
    static final class Chunked extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                String line = readLine(in);
                if (line == null) {
                    throw new HttpProtocolException("connection closed before the last chunk", true);
                }
                int semi = line.indexOf(';');
                String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
                try {
                    chunkLeft = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new HttpProtocolException("bad chunk size line: " + line);
                }
                if (chunkLeft == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                    } while (trailer != null && !trailer.isEmpty());
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new HttpProtocolException("connection closed inside a chunk", true);
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                String crlf = readLine(in);
                if (crlf == null || !crlf.isEmpty()) {
                    throw new HttpProtocolException("missing CRLF after a chunk");
                }
            }
            return n;
        }
    }

    static String snippet(InputStream in, int max) {
        try {
            byte[] buf = in.readNBytes(max);
            return new String(buf, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
