package io.testbed.tls.client.cpu;

import java.util.List;

/**
 * Per-operation userspace CPU costs of Akuma's clients under QEMU TCG: the one table every client that
 * declares {@code user_cpu_ns} from a model uses (the {@code modelled} CPU mode, Akuma's
 * {@code scratch} client). Methods return nanoseconds of simulated CPU for an amount of work; they
 * never read a clock.
 *
 * <p>Akuma's userspace ran under QEMU with TCG (no {@code -accel}, one vCPU) on an Apple Silicon Mac,
 * built at opt-level "s" with LTO and without the AES or SHA instructions (AKUMA_FACTS §8): every
 * cryptographic primitive is RustCrypto's portable software code, translated by TCG. Each entry is a
 * native estimate (cycles per unit on a ~3.2 GHz Apple core, opt-level "s") times the TCG slowdown
 * {@link #TCG_FACTOR}, which the kernel calibration fits on Akuma's measurement C3 (62.7 µs per
 * recv-loop iteration, docs/MEOW_OLLAMA_TIMEOUT_FIX.md @8addd902). {@link #entries()} lists each
 * entry with its range and origin (docs/MODEL.md, "Calibration").
 *
 * @param handshakeNs         one TLS 1.3 handshake of embedded-tls 0.17: P-256 ECDHE key generation
 *                            and shared secret, HKDF, transcript SHA-256, Finished; {@code NoVerify}, so
 *                            no certificate signature check
 * @param aesGcmPerRecordNs   per TLS record decrypted or encrypted: header, nonce, GHASH of the AAD and
 *                            lengths, tag check, record buffer bookkeeping
 * @param aesGcmPerByteNs     per byte through AES-128-GCM (fixsliced software AES-CTR plus software GHASH)
 * @param sha1PerByteNs       per byte hashed by software SHA-1 (object ids)
 * @param inflatePerByteNs    per byte inflated (output bytes, miniz_oxide)
 * @param deflatePerByteNs    per byte deflated at level 6 (input bytes, miniz_oxide)
 * @param pktLinePerLineNs    per pkt-line parsed: 4 hex digits, the side-band byte, slicing, demux
 * @param packPerByteNs       per byte of pack data moved through the client (pkt-line payload copies)
 * @param printPerByteNs      per byte printed: Akuma's console writes each byte with one UART MMIO
 *                            store, and under QEMU each store exits to the PL011 model and the host's
 *                            stdio (kernel work, charged by the client because the syscall ABI has no
 *                            console fd)
 * @param allocPerPageNs      per 4 KiB page of a userspace allocation: libakuma maps every allocation
 *                            with mmap and Akuma's kernel zero-fills every page eagerly (the syscall ABI
 *                            has no mmap, so the client charges it)
 */
public record UserCostTable(long handshakeNs, long aesGcmPerRecordNs, long aesGcmPerByteNs, long sha1PerByteNs,
                            long inflatePerByteNs, long deflatePerByteNs, long pktLinePerLineNs, long packPerByteNs,
                            long printPerByteNs, long allocPerPageNs) {

    /**
     * QEMU TCG's slowdown against native execution on the same Apple core, as fitted by the kernel
     * calibration on C3 (see docs/MODEL.md). Published TCG figures for same-architecture guests are
     * 5x to 20x for integer code; the kernel fit (kernel-sim KernelCostTable.FITTED_TCG_FACTOR, on C3)
     * lands inside that range. Keep the two equal.
     */
    public static final double TCG_FACTOR = 10.67;

    /** Page size of Akuma's allocator (libakuma maps whole pages). */
    public static final int PAGE = 4096;

    public UserCostTable {
        for (long v : new long[]{handshakeNs, aesGcmPerRecordNs, aesGcmPerByteNs, sha1PerByteNs, inflatePerByteNs,
                deflatePerByteNs, pktLinePerLineNs, packPerByteNs, printPerByteNs, allocPerPageNs}) {
            if (v < 0) {
                throw new IllegalArgumentException("user CPU costs must not be negative");
            }
        }
    }

    /** No userspace cost at all. */
    public static UserCostTable zero() {
        return new UserCostTable(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Akuma's userspace under QEMU TCG: native estimates times {@link #TCG_FACTOR} (see {@link #entries()}). */
    public static UserCostTable akumaQemuTcg() {
        return fromEntries(entries());
    }

    private static UserCostTable fromEntries(List<Entry> e) {
        long[] v = e.stream().mapToLong(Entry::ns).toArray();
        return new UserCostTable(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    /**
     * One row of the table: the name used in docs and reports, the native estimate with its range, and
     * where it comes from. Entries whose cost is dominated by QEMU device emulation rather than
     * translated code ({@code print}) are given in TCG time directly ({@code scaled} false).
     */
    public record Entry(String name, String unit, double nativeNs, double lowNativeNs, double highNativeNs,
                        boolean scaled, String origin) {
        /** The simulated cost: native estimate times the TCG factor, or as given when not scaled. */
        public long ns() {
            return Math.round(scaled ? nativeNs * TCG_FACTOR : nativeNs);
        }

        public long lowNs() {
            return Math.round(scaled ? lowNativeNs * TCG_FACTOR : lowNativeNs);
        }

        public long highNs() {
            return Math.round(scaled ? highNativeNs * TCG_FACTOR : highNativeNs);
        }
    }

    /** The rows in component order, each with its range and origin (estimates, not fitted). */
    public static List<Entry> entries() {
        return List.of(
                new Entry("handshake", "handshake", 250_000, 120_000, 600_000, true,
                        "estimated: two P-256 scalar multiplications (RustCrypto p256, ~70-150 us each natively at opt-level s) "
                                + "+ HKDF/SHA-256; NoVerify skips the signature check"),
                new Entry("aes_gcm_record", "record", 1_200, 500, 3_000, true,
                        "estimated: ~4000 cycles per record (GHASH of AAD and lengths, tag, header, buffer moves)"),
                new Entry("aes_gcm_byte", "byte", 16, 8, 40, true,
                        "estimated: fixsliced software AES-128 ~25 cycles/byte + software GHASH ~15 cycles/byte, "
                                + "opt-level s; no AES/PMULL instructions in the build"),
                new Entry("sha1_byte", "byte", 3, 1.5, 8, true,
                        "estimated: portable SHA-1 ~8-10 cycles/byte; no SHA instructions in the build"),
                new Entry("inflate_byte", "output byte", 4, 2, 10, true,
                        "estimated: miniz_oxide inflate ~250-500 MB/s natively"),
                new Entry("deflate_byte", "input byte", 30, 15, 80, true,
                        "estimated: miniz_oxide deflate level 6 ~30-60 MB/s natively"),
                new Entry("pkt_line", "line", 120, 50, 400, true,
                        "estimated: ~400 cycles per pkt-line (hex length, side-band byte, slice, Vec push)"),
                new Entry("pack_byte", "byte", 0.5, 0.25, 2, true,
                        "estimated: one copy of the payload (memcpy ~6 GB/s natively)"),
                new Entry("print_byte", "byte", 3_000, 1_000, 10_000, false,
                        "estimated in TCG time: one PL011 MMIO store per byte = a TCG I/O exit, the device model "
                                + "under the big QEMU lock and a host write(2) to stdio, ~1-10 us"),
                new Entry("alloc_page", "page", 150, 80, 400, true,
                        "estimated: zero-filling 4 KiB (~1 cycle per 8 bytes) plus the page-table update per page"));
    }

    /** A TLS handshake. */
    public long handshake() {
        return handshakeNs;
    }

    /** {@code records} TLS records carrying {@code bytes} through AES-128-GCM (either direction). */
    public long aesGcm(long records, long bytes) {
        return records * aesGcmPerRecordNs + bytes * aesGcmPerByteNs;
    }

    /** SHA-1 over {@code bytes}. */
    public long sha1(long bytes) {
        return bytes * sha1PerByteNs;
    }

    /** Inflating to {@code outBytes} bytes. */
    public long inflate(long outBytes) {
        return outBytes * inflatePerByteNs;
    }

    /** Deflating {@code inBytes} bytes at level 6. */
    public long deflate(long inBytes) {
        return inBytes * deflatePerByteNs;
    }

    /** Parsing {@code lines} pkt-lines carrying {@code payloadBytes} in all. */
    public long pktLines(long lines, long payloadBytes) {
        return lines * pktLinePerLineNs + payloadBytes * packPerByteNs;
    }

    /** Printing {@code bytes} to the console (one UART store per byte). */
    public long print(long bytes) {
        return bytes * printPerByteNs;
    }

    /** A userspace allocation of {@code bytes}: every page it spans is zero-filled by the kernel. */
    public long alloc(long bytes) {
        return (bytes + PAGE - 1) / PAGE * allocPerPageNs;
    }
}
