/**
 * The single core: threads, their states and steps, the timer tick and scheduler passes
 * ({@link io.testbed.kernel.sim.sched.Cpu}). Which thread runs next is a {@code policy} plug-in.
 * {@link io.testbed.kernel.sim.sched.FastForward} crosses the core's idle cycles between events in one step,
 * exactly ({@code engine.fast_forward}); programs and policies describe their state for it
 * ({@link io.testbed.kernel.sim.sched.ThreadProgram#ffPhase}, {@code SchedulingPolicy.ffState}) or opt out.
 */
package io.testbed.kernel.sim.sched;
