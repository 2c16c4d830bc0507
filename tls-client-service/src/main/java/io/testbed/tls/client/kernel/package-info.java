/**
 * Bindings of the kernel-api {@code Kernel}: {@link io.testbed.tls.client.kernel.KernelTargets}
 * names the kernel-sim gRPC targets a download can use, and
 * {@link io.testbed.tls.client.kernel.HostKernel} carries the same syscalls out on the host's real
 * sockets, the baseline that shows what the simulation adds.
 */
package io.testbed.tls.client.kernel;
