package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;
import io.testbed.kernel.sim.sched.ThreadState;

/**
 * Akuma's first attempt, {@code MAIN_THREAD_PRIORITY_BOOST = true}: every pass switches to the boost
 * slot if it is READY. Since the network thread is a polling loop that yields, it is almost always
 * READY, so every other thread only runs between two of its turns.
 */
public final class AlwaysBoost implements SchedulingPolicy {
    private final int boostSlot;

    public AlwaysBoost(int boostSlot) {
        this.boostSlot = boostSlot;
    }

    @Override
    public SimThread pickNext(long now, SimThread current, Reason reason, SchedulerView view) {
        SimThread b = view.slot(boostSlot);
        if (b != null && b != current && b.state == ThreadState.READY) {
            view.countBoost("always");
            return b;
        }
        view.wakeExpired(now);
        return RoundRobin.nextRunnableAfter(current, view);
    }

    @Override
    public String name() {
        return "always-boost";
    }
}
