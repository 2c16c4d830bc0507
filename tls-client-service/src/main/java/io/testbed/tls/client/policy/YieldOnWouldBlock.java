package io.testbed.tls.client.policy;

import io.testbed.kernel.api.UserThread;

/**
 * On {@code EAGAIN}, one {@code sched_yield} and try again: the thread stays runnable and gives the
 * core away for one scheduler pass (on Akuma a pass may pick the network thread, which is what makes
 * data arrive). With Akuma's recvfrom each attempt is itself 50 yields inside the kernel. Bounded by
 * a simulated duration (default 5 s) since empty reads come fast.
 */
public final class YieldOnWouldBlock implements WouldBlockPolicy {
    public static final String NAME = "yield";
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 5000;

    private final IdleBound idle;

    private YieldOnWouldBlock(IdleBound idle) {
        this.idle = idle;
    }

    static YieldOnWouldBlock from(PolicySpec spec) {
        return new YieldOnWouldBlock(IdleBound.of(spec, UNBOUNDED_READS, DEFAULT_IDLE_TIMEOUT_MS));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String label() {
        return "yield, " + idle.label();
    }

    @Override
    public PolicySpec effective() {
        return new PolicySpec(NAME, null, idle.readsOrNull(), idle.msOrNull(), null, null, null, null);
    }

    @Override
    public int idleTimeoutReads() {
        return idle.reads();
    }

    @Override
    public long idleTimeoutNs() {
        return idle.ns();
    }

    @Override
    public void onWouldBlock(UserThread thread, int fd, int events, int consecutiveEmptyReads) {
        thread.schedYield();
    }
}
