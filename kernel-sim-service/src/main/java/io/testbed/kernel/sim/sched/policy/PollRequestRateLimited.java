package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;

/**
 * The seed's future-work idea 2: the global poll request is honoured at most once per
 * {@code sched.poll_request_interval_us}; requests in between wait for the interval to pass.
 */
public final class PollRequestRateLimited extends AkumaRatio {
    private final long intervalNs;
    private boolean requested;
    private long lastHonoured = Long.MIN_VALUE / 2;

    public PollRequestRateLimited(int ratio, int boostSlot, long intervalNs) {
        super(ratio, boostSlot);
        this.intervalNs = intervalNs;
    }

    @Override
    public void onWouldBlock(long now, SimThread thread) {
        requested = true;
    }

    @Override
    protected SimThread early(long now, SimThread current, Reason reason, SchedulerView view) {
        if (!requested || now - lastHonoured < intervalNs) {
            return null;
        }
        SimThread b = boostable(current, view);
        if (b == null) {
            return null;
        }
        requested = false;
        lastHonoured = now;
        view.countBoost("poll-request");
        return b;
    }

    @Override
    public String name() {
        return "poll-request-rate-limited";
    }
}
