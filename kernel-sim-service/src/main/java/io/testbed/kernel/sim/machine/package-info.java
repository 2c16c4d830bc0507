/**
 * One machine assembled from the layers below: {@link io.testbed.kernel.sim.machine.MachineModel} joins the
 * CPU and scheduler ({@code sched}), the network ({@code net}), the file system ({@code fs}), the syscalls
 * ({@code syscall}) and the interactive sessions ({@code session}) on one event queue, runs one scheduling
 * pass at a time and keeps the machine's counters; {@link io.testbed.kernel.sim.machine.KernelListener}
 * is where it reports. Deterministic: time is passed in, no wall clock.
 */
package io.testbed.kernel.sim.machine;
