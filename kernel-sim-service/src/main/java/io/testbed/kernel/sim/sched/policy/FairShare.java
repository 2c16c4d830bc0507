package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;
import io.testbed.kernel.sim.sched.ThreadState;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A fair-share policy in the manner of Linux's CFS: the runnable thread with the least virtual runtime
 * (CPU time received, equal weights) runs next. A new thread starts at the least runnable virtual
 * runtime, and a thread that wakes is placed no further back than half a tick behind it, so sleeping
 * buys no unbounded credit. Ties go to the lowest slot.
 */
public final class FairShare implements SchedulingPolicy {
    private final long wakeCreditNs;
    private final Map<SimThread, Long> offset = new IdentityHashMap<>();

    public FairShare(long tickNs) {
        this.wakeCreditNs = tickNs / 2;
    }

    private long vruntime(SimThread t) {
        return t.cpuNs + offset.getOrDefault(t, 0L);
    }

    @Override
    public SimThread pickNext(long now, SimThread current, Reason reason, SchedulerView view) {
        int n = view.slotCount();
        long minRunnable = Long.MAX_VALUE;
        boolean[] wasWaiting = new boolean[n];
        for (int i = 0; i < n; i++) {
            SimThread t = view.slot(i);
            if (t == null) {
                continue;
            }
            if (t.state.runnable() && offset.containsKey(t)) {
                minRunnable = Math.min(minRunnable, vruntime(t));
            }
            wasWaiting[i] = t.state == ThreadState.WAITING;
        }
        offset.keySet().removeIf(t -> t.state == ThreadState.TERMINATED);
        view.wakeExpired(now);
        SimThread best = null;
        for (int i = 0; i < n; i++) {
            SimThread t = view.slot(i);
            if (t == null || !t.state.runnable()) {
                continue;
            }
            long floor = minRunnable == Long.MAX_VALUE ? 0 : minRunnable;
            if (!offset.containsKey(t)) {
                offset.put(t, floor - t.cpuNs);
            } else if (wasWaiting[i] && vruntime(t) < floor - wakeCreditNs) {
                offset.put(t, offset.get(t) + (floor - wakeCreditNs - vruntime(t)));
            }
            if (best == null || vruntime(t) < vruntime(best)) {
                best = t;
            }
        }
        return best;
    }

    @Override
    public String name() {
        return "fair-share";
    }
}
