package io.testbed.kernel.sim.fs;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;

/**
 * The file-system and memory settings of a machine (rows {@code fs.*}, {@code mm.*} and the file
 * costs in kernel-sim-service/README.md), typed. Times in nanoseconds.
 *
 * @param wholeFileWrite  {@code fs.write=whole-file}: write() reads the whole file and rewrites it (the seed)
 * @param wholeFileRead   {@code fs.read=whole-file}: read() reads the whole file (until 9df5b7c4)
 * @param openatChecks    {@code fs.openat=exists-check}: openat looks the path up, ENOENT or creates (until 386a112f)
 * @param munmapFrees     {@code mm.munmap=free}: munmap releases the pages (from 9528e2a7)
 */
public record FsSettings(boolean wholeFileWrite, boolean wholeFileRead, boolean openatChecks,
                         int blockSize, long diskBytes, int inodeSize, int inodeRatio,
                         long maxFileBytes, int maxOpenFiles, int maxReadBytes, int maxWriteBytes,
                         long maxStepNs, long sectorNs, long bitmapBitNs, long uartByteNs, long pageZeroNs,
                         boolean munmapFrees, long maxMappedBytes) {

    /** Akuma's read_at path copies at most 64 KiB per read() (src/syscall.rs:162-166 @9df5b7c4). */
    public static final int READ_AT_CHUNK = 64 * 1024;

    public static FsSettings of(MachineSettings s) {
        return new FsSettings(
                s.is(Settings.FS_WRITE_WHOLE_FILE),
                s.is(Settings.FS_READ_WHOLE_FILE),
                s.is(Settings.FS_OPENAT_EXISTS_CHECK),
                s.getInt(Settings.FS_BLOCK_SIZE),
                s.getLong(Settings.FS_DISK_BYTES),
                s.getInt(Settings.FS_INODE_SIZE),
                s.getInt(Settings.FS_INODE_RATIO),
                s.getLong(Settings.FS_MAX_FILE_BYTES),
                s.getInt(Settings.FS_MAX_OPEN_FILES),
                s.getInt(Settings.FS_MAX_READ_BYTES),
                s.getInt(Settings.FS_MAX_WRITE_BYTES),
                s.getLong(Settings.FS_MAX_STEP_NS),
                s.getLong(Settings.COST_SECTOR_NS),
                s.getLong(Settings.COST_BITMAP_BIT_NS),
                s.getLong(Settings.COST_UART_BYTE_NS),
                s.getLong(Settings.COST_PAGE_ZERO_NS),
                s.is(Settings.MM_MUNMAP_FREE),
                s.getLong(Settings.MM_MAX_MAPPED_BYTES));
    }

    /** The most bytes one read() returns: the setting, and 64 KiB on the read_at path. */
    public int readCap() {
        return wholeFileRead ? maxReadBytes : Math.min(maxReadBytes, READ_AT_CHUNK);
    }
}
