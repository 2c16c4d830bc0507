package io.testbed.kernel.sim.fs;

/**
 * Akuma's block layer ({@code src/block.rs} @7b52ac2) as far as cost goes: no cache, one synchronous
 * virtio request per 512-byte sector ({@code read_sectors}/{@code write_sectors}, 124-131 and
 * 153-160), {@code read_bytes} reads every sector the range touches, and {@code write_bytes} reads
 * every covered sector and then writes them all back (188-210), even when the range is aligned. It
 * counts requests; the bytes themselves are kept by {@link Ext2}.
 */
public final class BlockDevice {
    public static final int SECTOR = 512;

    private final long capacitySectors;
    private long sectorsRead;
    private long sectorsWritten;

    public BlockDevice(long capacityBytes) {
        this.capacitySectors = capacityBytes / SECTOR;
    }

    /** {@code read_bytes(offset, len)}: one read request per covered sector. */
    public void readBytes(long offset, int len) {
        sectorsRead += covered(offset, len);
    }

    /** {@code write_bytes(offset, len)}: read-modify-write of every covered sector. */
    public void writeBytes(long offset, int len) {
        long n = covered(offset, len);
        sectorsRead += n;
        sectorsWritten += n;
    }

    private long covered(long offset, int len) {
        if (len <= 0) {
            return 0;
        }
        long first = offset / SECTOR;
        long end = (offset + len + SECTOR - 1) / SECTOR;
        if (offset < 0 || end > capacitySectors) {
            throw new IllegalStateException("block I/O outside the disk: offset " + offset + " length " + len);
        }
        return end - first;
    }

    public long sectorsRead() {
        return sectorsRead;
    }

    public long sectorsWritten() {
        return sectorsWritten;
    }
}
