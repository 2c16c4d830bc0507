package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;
import io.testbed.kernel.sim.sched.Step;
import io.testbed.kernel.sim.sched.ThreadKind;
import io.testbed.kernel.sim.sched.ThreadState;

import java.util.ArrayList;
import java.util.List;

/** Slots and states set by hand, for driving a policy pass by pass. */
final class FakeView implements SchedulerView {
    final SimThread[] slots = new SimThread[32];
    final List<String> boosts = new ArrayList<>();
    int hint = -1;

    SimThread put(int tid, ThreadKind kind, ThreadState state) {
        SimThread t = new SimThread(tid, kind.label() + tid, kind, now -> Step.yield(1));
        t.state = state;
        slots[tid] = t;
        return t;
    }

    /** Moves the core as the CPU would: the old thread becomes READY if still runnable. */
    SimThread switchTo(SimThread from, SimThread to) {
        if (to != from) {
            if (from != null && from.state == ThreadState.RUNNING) {
                from.state = ThreadState.READY;
            }
            to.state = ThreadState.RUNNING;
        }
        return to;
    }

    @Override
    public SimThread slot(int index) {
        return index >= 0 && index < slots.length ? slots[index] : null;
    }

    @Override
    public int slotCount() {
        return slots.length;
    }

    @Override
    public void wakeExpired(long now) {
        for (SimThread t : slots) {
            if (t != null && t.state == ThreadState.WAITING && now >= t.wakeAt) {
                t.state = ThreadState.READY;
            }
        }
    }

    @Override
    public void countBoost(String reason) {
        boosts.add(reason);
    }

    @Override
    public int takeYieldHint() {
        int h = hint;
        hint = -1;
        return h;
    }
}
