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
        return nextRunnableAfter(current == null ? view.slotCount() - 1 : current.tid, current, view);
    }

    /**
     * The first READY or RUNNING thread other than {@code current} in the slots after {@code start},
     * wrapping around; {@code current} itself only when no other thread can run.
     */
    static SimThread nextRunnableAfter(int start, SimThread current, SchedulerView view) {
        return view.nextRunnableAfter(start, current);
    }

    @Override
    public long[] ffState() {
        return getClass() == RoundRobin.class ? new long[0] : null;
    }

    @Override
    public String name() {
        return "round-robin";
    }
}
