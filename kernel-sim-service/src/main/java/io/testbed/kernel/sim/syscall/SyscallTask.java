package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.sched.Step;

/**
 * One syscall in progress, as a state machine: each call returns the next step of kernel work. The
 * final step is {@link Step.Then#RETURN_TO_USER} (or EXIT) after the task has set its result.
 */
public interface SyscallTask {
    Step step(long now);
}
