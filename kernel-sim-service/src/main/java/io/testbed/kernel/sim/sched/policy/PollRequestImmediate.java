package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;

/**
 * The seed's failed attempt ({@code ENABLE_SYSCALL_POLL_REQUEST = true}): a syscall that would block
 * sets one global {@code POLL_REQUESTED} flag, and the next pass switches to the boost slot at once.
 * Every iteration of a would-block loop requests again, so the requesting thread and the network thread
 * can keep the core between them.
 */
public final class PollRequestImmediate extends AkumaRatio {
    private boolean requested;

    public PollRequestImmediate(int ratio, int boostSlot) {
        super(ratio, boostSlot);
    }

    @Override
    public void onWouldBlock(long now, SimThread thread) {
        requested = true;
    }

    @Override
    protected SimThread early(long now, SimThread current, Reason reason, SchedulerView view) {
        if (!requested) {
            return null;
        }
        SimThread b = boostable(current, view);
        if (b == null) {
            return null;
        }
        requested = false;
        view.countBoost("poll-request");
        return b;
    }

    @Override
    public String name() {
        return "poll-request-immediate";
    }
}
