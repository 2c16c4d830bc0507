package io.testbed.kernel.api.framed;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Cuts what a (non-blocking) channel delivers into {@link Frames}: read with {@link #readFrom}, then take complete
 * frames with {@link #next} until it has none. The buffer grows to the frame in progress, never beyond
 * {@code maxBody} and the header; a longer frame is refused before its body is read.
 */
public final class FrameReader {
    private final int maxBody;
    /** Read mode: the bytes from position to limit are received and not yet taken. */
    private ByteBuffer buf = ByteBuffer.allocate(64 * 1024).flip();

    /** A frame taken from the buffer: valid until the next {@link #readFrom}. */
    public record Frame(byte kind, byte[] array, int offset, int length) {
    }

    /** A frame's length was out of bounds (the receiver closes the connection). */
    public static final class FrameTooLarge extends IOException {
        public FrameTooLarge(String message) {
            super(message);
        }
    }

    /** @param maxBody the longest frame body accepted, bytes */
    public FrameReader(int maxBody) {
        this.maxBody = maxBody;
    }

    /** Reads what the channel has: the bytes read, 0 for none now, -1 at the end of the stream. */
    public int readFrom(ReadableByteChannel ch) throws IOException {
        buf.compact();
        try {
            return ch.read(buf);
        } finally {
            buf.flip();
        }
    }

    /**
     * The next complete frame received, or null until more is read.
     *
     * @throws FrameTooLarge a frame announced longer than allowed (or without a kind)
     */
    public Frame next() throws FrameTooLarge {
        if (buf.remaining() < 4) {
            return null;
        }
        int length = buf.getInt(buf.position());
        if (length == 0) {
            throw new FrameTooLarge("a frame without a kind (length 0)");
        }
        if (length < 0 || length - 1 > maxBody) {
            throw new FrameTooLarge("a frame of " + (Integer.toUnsignedLong(length) - 1) + " bytes, more than the " + maxBody + " allowed");
        }
        if (buf.remaining() < 4 + length) {
            if (buf.capacity() < 4 + length) {
                ByteBuffer larger = ByteBuffer.allocate(4 + length);
                larger.put(buf).flip();
                buf = larger;
            }
            return null;
        }
        int at = buf.position();
        buf.position(at + 4 + length);
        return new Frame(buf.get(at + 4), buf.array(), buf.arrayOffset() + at + Frames.HEADER, length - 1);
    }

    /** Whether part of a frame was received (an end of stream now cuts a frame short). */
    public boolean midFrame() {
        return buf.hasRemaining();
    }
}
