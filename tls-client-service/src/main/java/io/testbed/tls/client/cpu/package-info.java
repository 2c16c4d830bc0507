/**
 * Userspace CPU accounting for the virtual clock: how much simulated CPU the client's own work
 * (TLS, HTTP, pack parsing) costs, declared to the kernel as {@code user_cpu_ns} with the next
 * syscall. One small interface, {@link io.testbed.tls.client.cpu.UserCpuAccounting}, three modes
 * registered by name in {@link io.testbed.tls.client.cpu.UserCpuModes}: {@code zero},
 * {@code modelled} (a cost table), {@code measured} (thread CPU time, not deterministic). Each charge
 * has a kind (TLS, pack, other: {@link io.testbed.kernel.api.UserCpuKind}) that travels with it.
 */
package io.testbed.tls.client.cpu;
