package io.testbed.kernel.sim.sched;

/** What a thread does whenever it holds the CPU: it is asked for one step at a time. */
public interface ThreadProgram {

    /**
     * The next step of this thread, starting at {@code now}. Returns null when the thread cannot go on
     * until the outside world answers (a virtual-clock user thread whose next syscall has not arrived):
     * the engine then waits, without advancing time.
     */
    Step next(long now);

    /** A userspace step was preempted with {@code unusedNs} of it left to run. */
    default void preempted(long unusedNs) {
    }

    /** The step that ended with RETURN_TO_USER or EXIT has finished at {@code now}: deliver the reply. */
    default void returned(long now) {
    }
}
