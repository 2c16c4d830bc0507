package io.testbed.tls.client.cpu;

import io.testbed.kernel.api.UserCpuKind;

import java.util.function.ObjLongConsumer;

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

    /**
     * The per-download accumulator: the hooks add up costs by kind (TLS for the handshake, records and
     * decrypted bytes; pack for the git hooks), each syscall takes what has accumulated.
     */
    private static final class Running implements UserCpuAccounting {
        private static final UserCpuKind[] KINDS = UserCpuKind.values();
        private final ModelledCpu cpu;
        private final long[] pending = new long[KINDS.length];

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
            add(UserCpuKind.TLS, cpu.handshakeNs);
        }

        @Override
        public void records(int records) {
            add(UserCpuKind.TLS, records * cpu.perRecordNs);
        }

        @Override
        public void decrypted(long bytes) {
            add(UserCpuKind.TLS, bytes * cpu.perByteDecryptedNs);
        }

        @Override
        public void packParsed(long bytes) {
            add(UserCpuKind.PACK, bytes * cpu.perPackByteNs);
        }

        @Override
        public void sha1(long bytes) {
            add(UserCpuKind.PACK, cpu.table.sha1(bytes));
        }

        @Override
        public void inflated(long bytes) {
            add(UserCpuKind.PACK, cpu.table.inflate(bytes));
        }

        @Override
        public void deflated(long bytes) {
            add(UserCpuKind.PACK, cpu.table.deflate(bytes));
        }

        @Override
        public void pktLines(long lines) {
            add(UserCpuKind.PACK, cpu.table.pktLines(lines, 0));
        }

        private void add(UserCpuKind kind, long ns) {
            pending[kind.ordinal()] += ns;
        }

        @Override
        public void beforeSyscall(ObjLongConsumer<UserCpuKind> charge) {
            for (UserCpuKind k : KINDS) {
                long p = pending[k.ordinal()];
                if (p > 0) {
                    pending[k.ordinal()] = 0;
                    charge.accept(k, p);
                }
            }
        }
    }
}
