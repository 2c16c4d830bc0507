/**
 * The syscalls, grouped by family (socket, io, sched, time), each a small state machine
 * ({@link io.testbed.kernel.sim.syscall.SyscallTask}) run by a user thread's
 * {@link io.testbed.kernel.sim.syscall.UserThreadProgram}, which also owns the thread's file descriptors.
 */
package io.testbed.kernel.sim.syscall;
