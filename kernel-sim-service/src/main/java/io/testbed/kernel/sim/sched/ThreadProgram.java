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

    /** {@link #ffPhase}'s answer for a program that cannot describe its idleness (never fast-forwarded while it runs). */
    long FF_UNSUPPORTED = Long.MIN_VALUE;

    /**
     * Fast-forward ({@link FastForward}): the program's state modulo time and counters, as one value
     * (two calls of {@link #next} in the same phase, both before {@link #ffQuietUntil}, return the same
     * step and leave the same phase), or {@link #FF_UNSUPPORTED}. Absolute times that only a deadline
     * changes (an accept timeout) may be part of it.
     */
    default long ffPhase() {
        return FF_UNSUPPORTED;
    }

    /**
     * Until when (exclusive) {@link #next} has no effect other than its phase, its {@link #ffCounter} and
     * counters and trace records outside the program (a poll with nothing to do): {@code now} when the
     * next call may do something else.
     */
    default long ffQuietUntil(long now) {
        return now;
    }

    /** A counter the program keeps that {@link #next} moves (the idle loop's iteration number). */
    default long ffCounter() {
        return 0;
    }

    /** Moves {@link #ffCounter} by {@code delta}: that many calls' worth were skipped. */
    default void ffAdvance(long delta) {
    }
}
