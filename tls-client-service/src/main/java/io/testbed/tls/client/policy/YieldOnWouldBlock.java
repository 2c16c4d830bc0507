package io.testbed.tls.client.policy;

import io.testbed.kernel.api.v1.SchedYield;
import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.UserThread;

/**
 * On {@code EAGAIN}, one {@code sched_yield} and try again: the thread stays runnable and gives the
 * core away for one scheduler pass (on Akuma a pass may pick the network thread, which is what makes
 * data arrive). With Akuma's recvfrom each attempt is itself 50 yields inside the kernel. Bounded by
 * a simulated duration (default 5 s) since empty reads come fast.
 */
public final class YieldOnWouldBlock extends IdleBoundedPolicy {
    public static final String NAME = "yield";
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 5000;

    private YieldOnWouldBlock(IdleBound idle) {
        super(NAME, idle);
    }

    static YieldOnWouldBlock from(PolicySpec spec) {
        return new YieldOnWouldBlock(IdleBound.of(spec, UNBOUNDED_READS, DEFAULT_IDLE_TIMEOUT_MS));
    }

    @Override
    String describe() {
        return "yield";
    }

    @Override
    public boolean repeatable(int fd, int events, RepeatOnWouldBlock.Builder repeat) {
        repeat.setSchedYield(SchedYield.getDefaultInstance());
        return true;
    }

    @Override
    public void onWouldBlock(UserThread thread, int fd, int events, int consecutiveEmptyReads) {
        thread.schedYield();
    }
}
