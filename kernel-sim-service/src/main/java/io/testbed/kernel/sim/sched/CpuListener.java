package io.testbed.kernel.sim.sched;

/** What the core reports as it schedules (for stats, metrics and the trace). */
public interface CpuListener {
    void onPass(long now, SimThread from, SimThread to, boolean switched, io.testbed.kernel.sim.sched.policy.SchedulingPolicy.Reason reason);

    void onBoost(String reason);

    /** CPU time was charged to a thread. */
    void onCharge(SimThread thread, long ns);

    /** A thread ended (EXIT step finished). */
    void onExit(long now, SimThread thread);
}
