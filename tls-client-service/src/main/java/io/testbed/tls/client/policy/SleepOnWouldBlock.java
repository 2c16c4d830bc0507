package io.testbed.tls.client.policy;

import io.testbed.kernel.api.UserThread;

/**
 * Akuma's userspace loop: on {@code EAGAIN}, {@code sleep_ms(n)} (a nanosleep syscall) and try again.
 * The seed's fix changed n from 10 to 1 and the idle bound from 500 to 5000 reads so that the
 * timeout stays near 5 s; the defaults here are the values before the fix.
 */
public final class SleepOnWouldBlock implements WouldBlockPolicy {
    public static final String NAME = "sleep";
    public static final int DEFAULT_SLEEP_MS = 10;
    public static final int DEFAULT_IDLE_TIMEOUT_READS = 500;
    public static final int MAX_SLEEP_MS = 10_000;

    private final int sleepMs;
    private final int idleTimeoutReads;

    public SleepOnWouldBlock(int sleepMs, int idleTimeoutReads) {
        if (sleepMs < 0 || sleepMs > MAX_SLEEP_MS) {
            throw new IllegalArgumentException("sleepMs must be in 0.." + MAX_SLEEP_MS + ", was " + sleepMs);
        }
        if (idleTimeoutReads < 1) {
            throw new IllegalArgumentException("idleTimeoutReads must be at least 1, was " + idleTimeoutReads);
        }
        this.sleepMs = sleepMs;
        this.idleTimeoutReads = idleTimeoutReads;
    }

    static SleepOnWouldBlock from(PolicySpec spec) {
        return new SleepOnWouldBlock(
                spec.sleepMs() == null ? DEFAULT_SLEEP_MS : spec.sleepMs(),
                spec.idleTimeoutReads() == null ? DEFAULT_IDLE_TIMEOUT_READS : spec.idleTimeoutReads());
    }

    public int sleepMs() {
        return sleepMs;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String label() {
        return "sleep " + sleepMs + " ms, idle " + idleTimeoutReads + " reads";
    }

    @Override
    public int idleTimeoutReads() {
        return idleTimeoutReads;
    }

    @Override
    public void onWouldBlock(UserThread thread, int consecutiveEmptyReads) {
        thread.nanosleep(sleepMs * 1_000_000L);
    }
}
