package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;

/** What a policy may see and do during a pass. */
public interface SchedulerView {

    /** The thread in a slot, or null if the slot is empty. */
    SimThread slot(int index);

    int slotCount();

    /** Wakes every WAITING thread whose wake time has passed (Akuma's pass, step 2). */
    void wakeExpired(long now);

    /**
     * The first READY or RUNNING thread other than {@code current} in the slots after {@code start},
     * wrapping around; {@code current} itself only when no other thread can run. A view that knows its
     * occupied slots may answer without looking at the empty ones (the answer must be the same).
     */
    default SimThread nextRunnableAfter(int start, SimThread current) {
        int n = slotCount();
        for (int i = 1; i <= n; i++) {
            SimThread t = slot(Math.floorMod(start + i, n));
            if (t != null && t != current && t.state.runnable()) {
                return t;
            }
        }
        return current != null && current.state.runnable() ? current : null;
    }

    /** Counts a boost (for stats), by reason: ratio, always, poll-request, hint. */
    void countBoost(String reason);

    /**
     * The thread the network thread named when it last yielded (a thread whose socket got data in that
     * poll), or -1. Cleared by the pass that reads it.
     */
    int takeYieldHint();
}
