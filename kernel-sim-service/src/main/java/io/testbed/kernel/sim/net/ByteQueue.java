package io.testbed.kernel.sim.net;

import java.util.ArrayDeque;

/**
 * A FIFO of bytes with an optional capacity, readable at an offset without consuming (for
 * retransmission from the oldest unacknowledged byte). Socket buffers and the remote host's send
 * buffer are ByteQueues.
 */
public final class ByteQueue {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private final int capacity;
    private int headOffset;
    private int size;

    /** @param capacity most bytes held, or {@code Integer.MAX_VALUE} for unbounded */
    public ByteQueue(int capacity) {
        this.capacity = capacity;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public int free() {
        return capacity - size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Appends up to {@link #free()} bytes; returns how many were taken. */
    public int append(byte[] src, int off, int len) {
        int n = Math.min(len, free());
        if (n <= 0) {
            return 0;
        }
        byte[] copy = new byte[n];
        System.arraycopy(src, off, copy, 0, n);
        chunks.addLast(copy);
        size += n;
        return n;
    }

    /** Copies {@code len} bytes starting {@code offset} bytes after the head, without consuming. */
    public byte[] peek(int offset, int len) {
        if (offset < 0 || len < 0 || offset + len > size) {
            throw new IndexOutOfBoundsException("peek " + offset + "+" + len + " of " + size);
        }
        byte[] out = new byte[len];
        int skip = headOffset + offset;
        int written = 0;
        for (byte[] c : chunks) {
            if (written == len) {
                break;
            }
            if (skip >= c.length) {
                skip -= c.length;
                continue;
            }
            int n = Math.min(c.length - skip, len - written);
            System.arraycopy(c, skip, out, written, n);
            written += n;
            skip = 0;
        }
        return out;
    }

    /** Removes and returns up to {@code max} bytes from the head. */
    public byte[] take(int max) {
        int n = Math.min(max, size);
        byte[] out = peek(0, n);
        discard(n);
        return out;
    }

    /** Drops {@code n} bytes from the head. */
    public void discard(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("discard " + n + " of " + size);
        }
        size -= n;
        int left = n;
        while (left > 0) {
            byte[] head = chunks.peekFirst();
            int avail = head.length - headOffset;
            if (left >= avail) {
                chunks.pollFirst();
                left -= avail;
                headOffset = 0;
            } else {
                headOffset += left;
                left = 0;
            }
        }
    }
}
