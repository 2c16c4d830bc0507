package io.testbed.bench.rtt;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Length-prefixed protobuf messages on a blocking socket channel: a 4-byte big-endian length, then the message. */
final class Frames {
    private static final int MAX = 4 << 20;

    private Frames() {
    }

    static void write(SocketChannel ch, MessageLite m) throws IOException {
        byte[] body = m.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(4 + body.length);
        b.putInt(body.length).put(body).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** The next message, or null at the end of the stream. */
    static <T> T read(SocketChannel ch, Parser<T> parser) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(4);
        if (!fill(ch, len, true)) {
            return null;
        }
        int n = len.flip().getInt();
        if (n < 0 || n > MAX) {
            throw new IOException("frame of " + n + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(n);
        fill(ch, body, false);
        return parser.parseFrom(body.flip());
    }

    private static boolean fill(SocketChannel ch, ByteBuffer b, boolean eofOk) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                if (eofOk && b.position() == 0) {
                    return false;
                }
                throw new EOFException("stream ended inside a frame");
            }
        }
        return true;
    }
}
