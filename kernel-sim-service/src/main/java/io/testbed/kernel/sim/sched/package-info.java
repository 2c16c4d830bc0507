/**
 * The single core: threads, their states and steps, the timer tick and scheduler passes
 * ({@link io.testbed.kernel.sim.sched.Cpu}). Which thread runs next is a {@code policy} plug-in.
 */
package io.testbed.kernel.sim.sched;
