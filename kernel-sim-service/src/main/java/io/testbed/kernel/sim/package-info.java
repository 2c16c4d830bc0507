/**
 * The kernel-sim service: simulated Akuma machines behind the syscall ABI. {@code engine}, {@code sched},
 * {@code syscall} and {@code net} are the model (no Spring, no gRPC, no wall clock); {@code api},
 * {@code machine}, {@code metrics}, {@code upstream} and {@code config} connect it to the world.
 */
package io.testbed.kernel.sim;
