package io.testbed.tls.client.cpu;

import java.util.List;

/** The accounting modes by name; {@link #create} makes a fresh per-download instance. */
public final class UserCpuModes {
    public static final List<String> NAMES = List.of(ZeroCpu.MODE, ModelledCpu.MODE, MeasuredCpu.MODE);
    /** Bound on each cost parameter in its own unit (us or ns): large enough for any table, small enough not to overflow. */
    private static final long MAX_COST = 10_000_000L;

    private UserCpuModes() {
    }

    /**
     * @throws IllegalArgumentException for an unknown mode or a cost out of range, saying which
     */
    public static UserCpuAccounting create(CpuSpec spec) {
        String mode = spec == null || spec.mode() == null ? ZeroCpu.MODE : spec.mode();
        switch (mode) {
            case ZeroCpu.MODE:
                return new ZeroCpu();
            case ModelledCpu.MODE:
                return new ModelledCpu(
                        cost("cpu.handshakeUs", spec.handshakeUs(), ModelledCpu.DEFAULT_HANDSHAKE_NS / 1000) * 1000,
                        cost("cpu.perRecordNs", spec.perRecordNs(), ModelledCpu.DEFAULT_PER_RECORD_NS),
                        cost("cpu.perByteDecryptedNs", spec.perByteDecryptedNs(), ModelledCpu.DEFAULT_PER_BYTE_DECRYPTED_NS),
                        cost("cpu.perPackByteNs", spec.perPackByteNs(), ModelledCpu.DEFAULT_PER_PACK_BYTE_NS)).start();
            case MeasuredCpu.MODE:
                return new MeasuredCpu(spec.scale() == null ? 1.0 : spec.scale());
            default:
                throw new IllegalArgumentException("unknown cpu mode '" + mode + "'; known: " + NAMES);
        }
    }

    private static long cost(String field, Long value, long dflt) {
        if (value == null) {
            return dflt;
        }
        if (value < 0 || value > MAX_COST) {
            throw new IllegalArgumentException(field + " must be in 0.." + MAX_COST + ", was " + value);
        }
        return value;
    }
}
