package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;

import java.util.BitSet;

/**
 * The seed's future-work idea 1: each thread has its own poll-request flag; the scheduler honours a
 * thread's request once, then ignores that thread's requests until it runs again. "Runs again" is read
 * here as: its syscall returns to userspace. So one blocking syscall (however many would-block
 * iterations it makes) buys at most one immediate poll. Requests are served lowest slot first.
 */
public final class PollRequestPerThread extends AkumaRatio {
    private final BitSet pending = new BitSet();
    private final BitSet spent = new BitSet();

    public PollRequestPerThread(int ratio, int boostSlot) {
        super(ratio, boostSlot);
    }

    @Override
    public void onWouldBlock(long now, SimThread thread) {
        if (!spent.get(thread.tid)) {
            pending.set(thread.tid);
        }
    }

    @Override
    public void onSyscallReturn(long now, SimThread thread) {
        spent.clear(thread.tid);
        pending.clear(thread.tid);
    }

    @Override
    protected SimThread early(long now, SimThread current, Reason reason, SchedulerView view) {
        int tid = pending.nextSetBit(0);
        if (tid < 0) {
            return null;
        }
        SimThread b = boostable(current, view);
        if (b == null) {
            return null;
        }
        pending.clear(tid);
        spent.set(tid);
        view.countBoost("poll-request");
        return b;
    }

    @Override
    public String name() {
        return "poll-request-per-thread";
    }
}
