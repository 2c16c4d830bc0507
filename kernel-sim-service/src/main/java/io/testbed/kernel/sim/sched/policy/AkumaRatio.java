package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;
import io.testbed.kernel.sim.sched.ThreadState;

/**
 * Akuma's proportional scheduler at the seed's commit ({@code src/threading.rs}), run on every tick and
 * every voluntary yield:
 * <ol>
 *   <li>if the current thread is not the boost slot, count the pass; when the count reaches
 *       {@code NETWORK_THREAD_RATIO}, reset it and, if the boost slot is READY, switch to it at once
 *       (WAITING threads are not woken in that pass);</li>
 *   <li>wake every WAITING thread whose wake time has passed;</li>
 *   <li>round robin from current+1: the first READY or RUNNING thread.</li>
 * </ol>
 */
public final class AkumaRatio implements SchedulingPolicy {
    private final int ratio;
    private final int boostSlot;
    private int counter;

    public AkumaRatio(int ratio, int boostSlot) {
        this.ratio = ratio;
        this.boostSlot = boostSlot;
    }

    @Override
    public SimThread pickNext(long now, SimThread current, Reason reason, SchedulerView view) {
        if (current == null || current.tid != boostSlot) {
            counter++;
            if (counter >= ratio) {
                counter = 0;
                SimThread boosted = view.slot(boostSlot);
                if (boosted != null && boosted.state == ThreadState.READY) {
                    view.countBoost("ratio");
                    return boosted;
                }
            }
        }
        view.wakeExpired(now);
        return RoundRobin.nextRunnableAfter(current, view);
    }

    @Override
    public String name() {
        return "akuma-ratio";
    }
}
