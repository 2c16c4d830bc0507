package io.testbed.kernel.sim.fs;

import java.util.Arrays;

/**
 * One ext2 inode as Akuma uses it ({@code struct Inode}, src/vfs/ext2.rs:100-125 @7b52ac2): type, size,
 * 12 direct block pointers, the single and double indirect pointers. The contents of the file (or the
 * raw directory entries) are kept here too, zero beyond {@code size}.
 */
public final class Inode {
    static final int DIRECT = 12;

    final int number;
    final boolean dir;
    long size;
    final int[] direct = new int[DIRECT];
    int indirect;
    int doubleIndirect;
    /** Blocks held, data and pointer blocks (Akuma's sectors_used / sectors per block). */
    long blocks;
    int links;
    byte[] data = new byte[0];

    Inode(int number, boolean dir) {
        this.number = number;
        this.dir = dir;
    }

    public boolean isDir() {
        return dir;
    }

    public long size() {
        return size;
    }

    public int number() {
        return number;
    }

    /** Makes room for {@code len} bytes of contents (the new bytes are zero). */
    void ensureCapacity(long len) {
        if (len > data.length) {
            long cap = Math.max(len, Math.min(Integer.MAX_VALUE - 8, 2L * data.length));
            data = Arrays.copyOf(data, Math.toIntExact(cap));
        }
    }

    /** Sets the size, zeroing what a shrink leaves behind so a later hole reads as zeros. */
    void resize(long newSize) {
        ensureCapacity(newSize);
        if (newSize < size) {
            Arrays.fill(data, (int) newSize, (int) size, (byte) 0);
        }
        size = newSize;
    }
}
