package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;

/**
 * The seed's future-work idea 4: the network thread yields with a hint naming a thread whose socket got
 * data in that poll, and the pass runs that thread next if it is runnable. Otherwise Akuma's ratio pass.
 */
public final class CooperativeHint extends AkumaRatio {
    private final int networkSlot;

    public CooperativeHint(int ratio, int boostSlot, int networkSlot) {
        super(ratio, boostSlot);
        this.networkSlot = networkSlot;
    }

    @Override
    protected SimThread early(long now, SimThread current, Reason reason, SchedulerView view) {
        int hint = view.takeYieldHint();
        if (hint < 0 || reason != Reason.YIELD || current == null || current.tid != networkSlot) {
            return null;
        }
        SimThread t = view.slot(hint);
        if (t == null || t == current || !t.state.runnable()) {
            return null;
        }
        view.countBoost("hint");
        return t;
    }

    @Override
    public String name() {
        return "cooperative-hint";
    }
}
