package io.testbed.tls.client.policy;

import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.UserThread;

/**
 * Akuma's userspace loop: on {@code EAGAIN}, {@code sleep_ms(n)} (a nanosleep syscall) and try again.
 * The seed's fix changed n from 10 to 1 and the idle bound from 500 to 5000 reads so that the
 * timeout stays near 5 s; the defaults here are the values before the fix.
 */
public final class SleepOnWouldBlock extends IdleBoundedPolicy {
    public static final String NAME = "sleep";
    public static final int DEFAULT_SLEEP_MS = 10;
    public static final int DEFAULT_IDLE_TIMEOUT_READS = 500;
    public static final int MAX_SLEEP_MS = 10_000;

    private final int sleepMs;

    public SleepOnWouldBlock(int sleepMs, int idleTimeoutReads) {
        this(sleepMs, new IdleBound(InvalidPolicyException.range("idleTimeoutReads", idleTimeoutReads, 0, 1, IdleBound.MAX_READS), 0));
    }

    private SleepOnWouldBlock(int sleepMs, IdleBound idle) {
        super(NAME, idle);
        this.sleepMs = InvalidPolicyException.range("sleepMs", sleepMs, 0, 0, MAX_SLEEP_MS);
    }

    static SleepOnWouldBlock from(PolicySpec spec) {
        int sleepMs = InvalidPolicyException.range("sleepMs", spec.sleepMs(), DEFAULT_SLEEP_MS, 0, MAX_SLEEP_MS);
        return new SleepOnWouldBlock(sleepMs, IdleBound.of(spec, DEFAULT_IDLE_TIMEOUT_READS, 0));
    }

    public int sleepMs() {
        return sleepMs;
    }


    @Override
    String describe() {
        return "sleep " + sleepMs + " ms";
    }

    @Override
    PolicySpec parameters() {
        return new PolicySpec(NAME, sleepMs, null);
    }



    @Override
    public boolean repeatable(int fd, int events, RepeatOnWouldBlock.Builder repeat) {
        repeat.setNanosleep(Nanosleep.newBuilder().setNs(sleepMs * 1_000_000L));
        return true;
    }

    @Override
    public void onWouldBlock(UserThread thread, int fd, int events, int consecutiveEmptyReads) {
        thread.nanosleep(sleepMs * 1_000_000L);
    }
}
