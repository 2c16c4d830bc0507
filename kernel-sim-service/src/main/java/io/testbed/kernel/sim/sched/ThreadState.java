package io.testbed.kernel.sim.sched;

/** Akuma's thread states, plus OFF_CPU for a live-clock user thread running userspace on the host. */
public enum ThreadState {
    READY, RUNNING, WAITING, OFF_CPU, TERMINATED;

    /** Whether a scheduler pass may pick a thread in this state. */
    public boolean runnable() {
        return this == READY || this == RUNNING;
    }
}
