package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;

/** Plain round robin from the slot after the current one: Akuma's pass without the boost step. */
public class RoundRobin implements SchedulingPolicy {

    @Override
    public SimThread pickNext(long now, SimThread current, Reason reason, SchedulerView view) {
        view.wakeExpired(now);
        return nextRunnableAfter(current, view);
    }

    /** The first READY or RUNNING thread after {@code current}, wrapping around to it last. */
    static SimThread nextRunnableAfter(SimThread current, SchedulerView view) {
        int n = view.slotCount();
        int start = current == null ? n - 1 : current.tid;
        for (int i = 1; i <= n; i++) {
            SimThread t = view.slot((start + i) % n);
            if (t != null && t.state.runnable()) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String name() {
        return "round-robin";
    }
}
