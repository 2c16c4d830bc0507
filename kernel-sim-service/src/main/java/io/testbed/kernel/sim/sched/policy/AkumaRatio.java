package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.config.RoundRobinFrom;
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
 * With {@code sched.round_robin_from=cursor}, step 3 starts after the thread round robin picked last
 * instead: a cursor that boosts do not move. That is Akuma's later {@code threading.rs}
 * ({@code round_robin_idx}, "Without this, threads 10, 11 would never run if 8, 9 are always ready"),
 * which ends the starvation the seed's commit shows (docs/MODEL.md).
 * Subclasses add a step before 1 ({@link #early}): the poll-request mechanisms of the seed.
 */
public class AkumaRatio implements SchedulingPolicy {
    protected final int ratio;
    protected final int boostSlot;
    private int counter;
    private boolean fromCursor;
    private int cursor = -1;

    public AkumaRatio(int ratio, int boostSlot) {
        this.ratio = ratio;
        this.boostSlot = boostSlot;
    }

    @Override
    public final SimThread pickNext(long now, SimThread current, Reason reason, SchedulerView view) {
        SimThread early = early(now, current, reason, view);
        if (early != null) {
            return early;
        }
        if (current == null || current.tid != boostSlot) {
            counter++;
            if (counter >= ratio) {
                counter = 0;
                SimThread boosted = boostable(current, view);
                if (boosted != null) {
                    view.countBoost("ratio");
                    return boosted;
                }
            }
        }
        view.wakeExpired(now);
        if (!fromCursor) {
            return RoundRobin.nextRunnableAfter(current, view);
        }
        int start = cursor >= 0 ? cursor : current == null ? view.slotCount() - 1 : current.tid;
        SimThread next = RoundRobin.nextRunnableAfter(start, current, view);
        if (next != null) {
            cursor = next.tid;
        }
        return next;
    }

    /**
     * Where round robin starts: {@code current} (after the current thread, the seed's commit) or
     * {@code cursor} (after the thread it picked last; boosts do not move it).
     */
    public AkumaRatio roundRobinFrom(RoundRobinFrom from) {
        fromCursor = switch (from) {
            case CURRENT -> false;
            case CURSOR -> true;
        };
        return this;
    }

    @Override
    public long[] ffState() {
        // subclasses (the poll-request mechanisms) keep state of their own: they describe it or opt out
        return getClass() == AkumaRatio.class ? new long[] {counter, cursor, fromCursor ? 1 : 0} : null;
    }

    /** A thread to switch to before Akuma's ratio step, or null. */
    protected SimThread early(long now, SimThread current, Reason reason, SchedulerView view) {
        return null;
    }

    /** The boost slot's thread if it is READY and not the current thread, else null. */
    protected final SimThread boostable(SimThread current, SchedulerView view) {
        SimThread b = view.slot(boostSlot);
        return b != null && b != current && b.state == ThreadState.READY ? b : null;
    }

    @Override
    public String name() {
        return "akuma-ratio";
    }
}
