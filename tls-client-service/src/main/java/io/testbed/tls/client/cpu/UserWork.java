package io.testbed.tls.client.cpu;

/**
 * Named units of userspace work a client reports with {@link UserCpuAccounting#work(UserWork, long)},
 * so that a per-operation cost table (issue 10's calibration) can price each one. The defaults
 * here are estimates for Akuma's userspace under QEMU TCG (opt-level "s", no SIMD), in the same
 * spirit as {@link ModelledCpu}'s table, not measurements: replace them with the calibrated table
 * when it exists (one line in {@link ModelledCpu}).
 */
public enum UserWork {
    /** One byte hashed with SHA-1 (object ids, checkout checks): ~100 MB/s. */
    SHA1_BYTE(10),
    /** One byte produced by inflate (miniz_oxide): ~100 MB/s of output. */
    INFLATE_BYTE(10),
    /** One byte given to deflate at level 6 (miniz_oxide): ~20 MB/s of input. */
    DEFLATE_BYTE(50),
    /** One pkt-line parsed (length, band, copies of the buffer). */
    PKT_LINE(500),
    /** One byte copied or scanned by the client's own buffers (side-band buffer, HTTP chunking, delta apply). */
    COPY_BYTE(1);

    private final long defaultNs;

    UserWork(long defaultNs) {
        this.defaultNs = defaultNs;
    }

    /** The default cost of one unit in nanoseconds of simulated CPU. */
    public long defaultNs() {
        return defaultNs;
    }
}
