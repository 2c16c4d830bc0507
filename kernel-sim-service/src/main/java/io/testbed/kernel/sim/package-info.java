/**
 * The kernel-sim service: simulated Akuma machines behind the syscall ABI, in layers (each imports only
 * those below it; {@code LayeringTest} enforces it):
 * <pre>
 *   api.grpc, api.inprocess, metrics, calibration, KernelSimConfiguration   the world: gRPC, Spring, Micrometer
 *   runtime      engine thread, machine registry, upstream gate: the only wall-clock code
 *   machine      MachineModel: one machine assembled, its counters
 *   syscall, session                                      syscalls; interactive SSH sessions
 *   sched, net (socket, remote, nic, link), fs             scheduler + CPU; TCP model; ext2
 *   time, config                                           events, seeded random, trace; settings
 * </pre>
 */
package io.testbed.kernel.sim;
