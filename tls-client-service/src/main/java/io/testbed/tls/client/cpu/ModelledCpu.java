package io.testbed.tls.client.cpu;

/**
 * Charges the client's work from a cost table: deterministic, so simulated timings repeat. The
 * defaults are estimates of a software TLS stack and pack parser on Akuma under QEMU TCG (tens of
 * times slower than the host), not measurements: a TLS 1.3 handshake with X25519 and an RSA-2048
 * signature check, AES-128-GCM at ~50 MB/s, SHA-1 and inflate of the pack at ~100 MB/s.
 *
 * @param handshakeNs       per TLS handshake
 * @param perRecordNs       per TLS record received (header parse, nonce, tag check)
 * @param perByteDecryptedNs per byte of application data decrypted
 * @param perPackByteNs     per byte of pack given to the parser
 */
public record ModelledCpu(long handshakeNs, long perRecordNs, long perByteDecryptedNs, long perPackByteNs) {
    public static final String MODE = "modelled";
    public static final long DEFAULT_HANDSHAKE_NS = 5_000_000;
    public static final long DEFAULT_PER_RECORD_NS = 2_000;
    public static final long DEFAULT_PER_BYTE_DECRYPTED_NS = 20;
    public static final long DEFAULT_PER_PACK_BYTE_NS = 10;

    public ModelledCpu {
        if (handshakeNs < 0 || perRecordNs < 0 || perByteDecryptedNs < 0 || perPackByteNs < 0) {
            throw new IllegalArgumentException("cpu costs must not be negative");
        }
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
        private final ModelledCpu table;
        private long pending;

        Running(ModelledCpu table) {
            this.table = table;
        }

        @Override
        public String mode() {
            return MODE;
        }

        @Override
        public String label() {
            return table.label();
        }

        @Override
        public boolean deterministic() {
            return true;
        }

        @Override
        public void handshake() {
            pending += table.handshakeNs;
        }

        @Override
        public void records(int records) {
            pending += records * table.perRecordNs;
        }

        @Override
        public void decrypted(long bytes) {
            pending += bytes * table.perByteDecryptedNs;
        }

        @Override
        public void packParsed(long bytes) {
            pending += bytes * table.perPackByteNs;
        }

        @Override
        public void work(UserWork op, long units) {
            pending += units * op.defaultNs();
        }

        @Override
        public long beforeSyscall() {
            long p = pending;
            pending = 0;
            return p;
        }
    }
}
