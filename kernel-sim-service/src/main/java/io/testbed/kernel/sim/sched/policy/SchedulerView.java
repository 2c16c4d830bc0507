package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;

/** What a policy may see and do during a pass. */
public interface SchedulerView {

    /** The thread in a slot, or null if the slot is empty. */
    SimThread slot(int index);

    int slotCount();

    /** Wakes every WAITING thread whose wake time has passed (Akuma's pass, step 2). */
    void wakeExpired(long now);

    /** Counts a boost (for stats), by reason: ratio, always, poll-request, hint. */
    void countBoost(String reason);

    /**
     * The thread the network thread named when it last yielded (a thread whose socket got data in that
     * poll), or -1. Cleared by the pass that reads it.
     */
    int takeYieldHint();
}
