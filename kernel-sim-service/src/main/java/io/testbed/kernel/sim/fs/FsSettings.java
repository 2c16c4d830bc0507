package io.testbed.kernel.sim.fs;

import io.testbed.kernel.sim.config.MachineSettings;

import java.util.Map;

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
        Map<String, String> v = s.values();
        return new FsSettings(
                "whole-file".equals(v.get("fs.write")),
                "whole-file".equals(v.get("fs.read")),
                "exists-check".equals(v.get("fs.openat")),
                Integer.parseInt(v.get("fs.block_size")),
                Long.parseLong(v.get("fs.disk_mb")) << 20,
                Integer.parseInt(v.get("fs.inode_size")),
                Integer.parseInt(v.get("fs.inode_ratio")),
                Long.parseLong(v.get("fs.max_file_bytes")),
                Integer.parseInt(v.get("fs.max_open_files")),
                Integer.parseInt(v.get("fs.max_read_bytes")),
                Integer.parseInt(v.get("fs.max_write_bytes")),
                Long.parseLong(v.get("fs.max_step_us")) * 1_000,
                Long.parseLong(v.get("cost.sector_ns")),
                Long.parseLong(v.get("cost.bitmap_bit_ns")),
                Long.parseLong(v.get("cost.uart_byte_ns")),
                Long.parseLong(v.get("cost.page_zero_ns")),
                "free".equals(v.get("mm.munmap")),
                Long.parseLong(v.get("mm.max_mapped_mb")) << 20);
    }

    /** The most bytes one read() returns: the setting, and 64 KiB on the read_at path. */
    public int readCap() {
        return wholeFileRead ? maxReadBytes : Math.min(maxReadBytes, READ_AT_CHUNK);
    }
}
