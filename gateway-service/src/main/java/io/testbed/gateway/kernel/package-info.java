/**
 * The machine admin client: creates, inspects and deletes simulated machines on kernel-sim-service
 * over gRPC ({@code Machines} in kernel-api's {@code kernel.proto}). {@link KernelProperties} names
 * the kernel-sim targets ({@code testbed.kernels.<name>=host:port}); {@link MachineAdminClient} keeps
 * one channel per target and maps gRPC statuses: {@code INVALID_ARGUMENT} becomes a
 * {@link KernelRejectedException} (the caller's fault), transport failures a
 * {@link io.testbed.gateway.DependencyUnavailableException}. {@link MachineSpec},
 * {@link MachineInfo} and {@link KernelStats} are the plain-Java views of the protobuf messages.
 */
package io.testbed.gateway.kernel;
