package io.testbed.tls.client.policy;

/**
 * The idle bound of a policy: a count of consecutive empty reads (Akuma's way: 500 reads x 10 ms),
 * a simulated duration, or both (whichever comes first).
 *
 * @param reads {@link WouldBlockPolicy#UNBOUNDED_READS} for no count
 * @param ns    0 for no duration
 */
record IdleBound(int reads, long ns) {
    static final int MAX_READS = 10_000_000;
    static final int MAX_MS = 3_600_000;

    /** From the spec; with neither given, {@code defaultReads} / {@code defaultMs} (either may be "none"). */
    static IdleBound of(PolicySpec spec, int defaultReads, int defaultMs) {
        Integer reads = spec.idleTimeoutReads();
        Integer ms = spec.idleTimeoutMs();
        if (reads == null && ms == null) {
            return new IdleBound(defaultReads, defaultMs * 1_000_000L);
        }
        int r = reads == null ? WouldBlockPolicy.UNBOUNDED_READS : InvalidPolicyException.range("idleTimeoutReads", reads, 0, 1, MAX_READS);
        long n = ms == null ? 0 : InvalidPolicyException.range("idleTimeoutMs", ms, 0, 1, MAX_MS) * 1_000_000L;
        return new IdleBound(r, n);
    }

    Integer readsOrNull() {
        return reads == WouldBlockPolicy.UNBOUNDED_READS ? null : reads;
    }

    Integer msOrNull() {
        return ns == 0 ? null : (int) (ns / 1_000_000);
    }

    String label() {
        if (ns == 0 && reads == WouldBlockPolicy.UNBOUNDED_READS) {
            return "no idle bound";
        }
        if (ns == 0) {
            return "idle " + reads + " reads";
        }
        return reads == WouldBlockPolicy.UNBOUNDED_READS ? "idle " + ns / 1_000_000 + " ms"
                : "idle " + reads + " reads or " + ns / 1_000_000 + " ms";
    }
}
