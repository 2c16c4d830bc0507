package io.testbed.tls.client.cpu;

/**
 * Charges the client's work from a cost table: deterministic, so simulated timings repeat. The
 * defaults come from {@link UserCostTable#akumaQemuTcg()}: Akuma's software TLS and git code under
 * QEMU TCG (handshake, AES-128-GCM per record and per byte, pack bytes), estimates scaled by the TCG
 * factor the kernel calibration fitted; the other operations (SHA-1, inflate, deflate, pkt-lines,
 * prints, allocations) are charged from {@code table}.
 *
 * @param handshakeNs        per TLS handshake
 * @param perRecordNs        per TLS record received (header parse, nonce, tag check)
 * @param perByteDecryptedNs per byte of application data decrypted
 * @param perPackByteNs      per byte of pack given to the parser
 * @param table              the per-operation table for everything else
 */
public record ModelledCpu(long handshakeNs, long perRecordNs, long perByteDecryptedNs, long perPackByteNs,
                          UserCostTable table) {
    public static final String MODE = "modelled";
    private static final UserCostTable AKUMA = UserCostTable.akumaQemuTcg();
    public static final long DEFAULT_HANDSHAKE_NS = AKUMA.handshakeNs();
    public static final long DEFAULT_PER_RECORD_NS = AKUMA.aesGcmPerRecordNs();
    public static final long DEFAULT_PER_BYTE_DECRYPTED_NS = AKUMA.aesGcmPerByteNs();
    public static final long DEFAULT_PER_PACK_BYTE_NS = AKUMA.packPerByteNs();

    public ModelledCpu {
        if (handshakeNs < 0 || perRecordNs < 0 || perByteDecryptedNs < 0 || perPackByteNs < 0) {
            throw new IllegalArgumentException("cpu costs must not be negative");
        }
        if (table == null) {
            table = AKUMA;
        }
    }

    /** The four request-level costs, with Akuma's table for the other operations. */
    public ModelledCpu(long handshakeNs, long perRecordNs, long perByteDecryptedNs, long perPackByteNs) {
        this(handshakeNs, perRecordNs, perByteDecryptedNs, perPackByteNs, AKUMA);
    }

    public static ModelledCpu defaults() {
        return new ModelledCpu(DEFAULT_HANDSHAKE_NS, DEFAULT_PER_RECORD_NS, DEFAULT_PER_BYTE_DECRYPTED_NS, DEFAULT_PER_PACK_BYTE_NS);
    }

    /** A fresh accumulator with this table (the record itself holds no state). */
    public UserCpuAccounting start() {
        return new Running(this);
    }

    public String label() {
        return MODE + ": handshake " + handshakeNs / 1000 + " us, record " + perRecordNs + " ns, decrypted byte "
                + perByteDecryptedNs + " ns, pack byte " + perPackByteNs + " ns";
    }

    /** The per-download accumulator: the hooks add up costs, each syscall takes what has accumulated. */
    private static final class Running implements UserCpuAccounting {
        private final ModelledCpu cpu;
        private long pending;

        Running(ModelledCpu cpu) {
            this.cpu = cpu;
        }

        @Override
        public String mode() {
            return MODE;
        }

        @Override
        public String label() {
            return cpu.label();
        }

        @Override
        public boolean deterministic() {
            return true;
        }

        @Override
        public void handshake() {
            pending += cpu.handshakeNs;
        }

        @Override
        public void records(int records) {
            pending += records * cpu.perRecordNs;
        }

        @Override
        public void decrypted(long bytes) {
            pending += bytes * cpu.perByteDecryptedNs;
        }

        @Override
        public void packParsed(long bytes) {
            pending += bytes * cpu.perPackByteNs;
        }

        @Override
        public void sha1(long bytes) {
            pending += cpu.table.sha1(bytes);
        }

        @Override
        public void inflated(long bytes) {
            pending += cpu.table.inflate(bytes);
        }

        @Override
        public void deflated(long bytes) {
            pending += cpu.table.deflate(bytes);
        }

        @Override
        public void pktLines(long lines) {
            pending += cpu.table.pktLines(lines, 0);
        }

        @Override
        public void printed(long bytes) {
            pending += cpu.table.print(bytes);
        }

        @Override
        public void allocated(long bytes) {
            pending += cpu.table.alloc(bytes);
        }

        @Override
        public long beforeSyscall() {
            long p = pending;
            pending = 0;
            return p;
        }
    }
}
