package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;

/**
 * Chooses which thread gets the core at each scheduler pass. Hooks receive {@code now}; a policy
 * keeps its own state (counters, flags) and never reads a clock.
 */
public interface SchedulingPolicy {

    /** Why the pass runs. */
    enum Reason {
        TICK, YIELD, SLEEP, BLOCK, EXIT, WAKE;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);

        /** The lowercase name used in metric tags (computed once). */
        public String label() {
            return label;
        }
    }

    /**
     * Picks the thread to run next.
     *
     * @param current the thread that held the core (may no longer be runnable)
     * @return the thread to run, or null if none is runnable (the core halts until an interrupt)
     */
    SimThread pickNext(long now, SimThread current, Reason reason, SchedulerView view);

    /** A syscall of {@code thread} found no data and will yield or return EAGAIN. */
    default void onWouldBlock(long now, SimThread thread) {
    }

    /** {@code thread}'s syscall returned: it runs userspace again. */
    default void onSyscallReturn(long now, SimThread thread) {
    }

    /**
     * Fast-forward: the policy's whole state (counters, cursors), or null when it cannot describe it or its
     * decisions depend on time other than through {@link SchedulerView#wakeExpired}; then its machine is
     * never fast-forwarded. A subclass that adds state must override this.
     */
    default long[] ffState() {
        return null;
    }

    /** The name it registers under. */
    String name();
}
