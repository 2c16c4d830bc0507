package io.testbed.tls.client.policy;

import io.testbed.kernel.api.UserThread;

/**
 * On {@code EAGAIN}, nanosleep for {@code min x factor^(n-1)} ms, at most {@code max} ms, where n counts
 * consecutive empty reads (reset when data arrives): short waits while data is flowing, long ones
 * when the server is quiet. Bounded by a simulated duration (default 5 s).
 */
public final class BackoffOnWouldBlock extends IdleBoundedPolicy {
    public static final String NAME = "backoff";
    public static final int DEFAULT_MIN_MS = 1;
    public static final int DEFAULT_MAX_MS = 10;
    public static final double DEFAULT_FACTOR = 2.0;
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 5000;

    private final int minMs;
    private final int maxMs;
    private final double factor;

    private BackoffOnWouldBlock(int minMs, int maxMs, double factor, IdleBound idle) {
        super(NAME, idle);
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.factor = factor;
    }

    static BackoffOnWouldBlock from(PolicySpec spec) {
        int min = InvalidPolicyException.range("minMs", spec.minMs(), DEFAULT_MIN_MS, 0, SleepOnWouldBlock.MAX_SLEEP_MS);
        int max = InvalidPolicyException.range("maxMs", spec.maxMs(), Math.max(min, DEFAULT_MAX_MS), 0, SleepOnWouldBlock.MAX_SLEEP_MS);
        if (max < min) {
            throw new InvalidPolicyException("policy.maxMs", "policy.maxMs (" + max + ") must not be below policy.minMs (" + min + ")");
        }
        double factor = spec.factor() == null ? DEFAULT_FACTOR : spec.factor();
        if (!(factor >= 1.0 && factor <= 16.0)) {
            throw new InvalidPolicyException("policy.factor", "policy.factor must be in 1..16, was " + factor);
        }
        return new BackoffOnWouldBlock(min, max, factor, IdleBound.of(spec, UNBOUNDED_READS, DEFAULT_IDLE_TIMEOUT_MS));
    }

    /** The sleep after the n-th consecutive empty read, in ns. */
    long sleepNs(int consecutiveEmptyReads) {
        double ms = minMs * Math.pow(factor, Math.min(consecutiveEmptyReads - 1, 64));
        return (long) (Math.min(ms, maxMs) * 1_000_000L);
    }


    @Override
    String describe() {
        return "backoff " + minMs + ".." + maxMs + " ms x" + factor;
    }

    @Override
    PolicySpec parameters() {
        return PolicySpec.backoff(minMs, maxMs, factor);
    }



    @Override
    public void onWouldBlock(UserThread thread, int fd, int events, int consecutiveEmptyReads) {
        thread.nanosleep(sleepNs(consecutiveEmptyReads));
    }
}
