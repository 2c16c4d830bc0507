package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.sched.Step;

/**
 * One syscall in progress, as a state machine: each call returns the next step of kernel work. The
 * final step is {@link Step.Then#RETURN_TO_USER} (or EXIT) after the task has set its result.
 */
public interface SyscallTask {
    Step step(long now);

    /**
     * Fast-forward (see {@code ThreadProgram.ffPhase}): a value for a task in a loop whose steps are all the same
     * until {@link #ffCallsLeft} runs out, or {@code ThreadProgram.FF_UNSUPPORTED}.
     */
    default long ffPhase() {
        return io.testbed.kernel.sim.sched.ThreadProgram.FF_UNSUPPORTED;
    }

    /** The loop's counter (its empty checks). */
    default long ffCounter() {
        return 0;
    }

    default void ffAdvance(long delta) {
    }

    /** Calls that stay in the loop. */
    default long ffCallsLeft() {
        return 0;
    }
}
