/**
 * The kernels: the machine admin client, which creates, inspects and deletes simulated machines on
 * kernel-sim-service over gRPC ({@code Machines} in kernel-api's {@code kernel.proto}), and the directory of
 * kernels runs go to. {@link KernelProperties} names the static kernel-sim targets
 * ({@code testbed.kernels.<name>=host:port}, the default); with {@link KernelDiscoveryProperties}
 * ({@code testbed.kernel-discovery.dns}) {@link KernelDirectory} finds them in a headless Service's DNS records
 * instead (issue 20), follows their health and load ({@link KernelLoad}, from {@code Machines.List}) and leases
 * each run the kernel with the most free capacity. {@link MachineAdminClient} keeps one channel per target and
 * maps gRPC statuses: {@code INVALID_ARGUMENT} becomes a {@link KernelRejectedException} (the caller's fault),
 * {@code RESOURCE_EXHAUSTED} a {@link KernelFullException}, transport failures a
 * {@link KernelUnavailableException} naming the kernel (a 503 like any unavailable dependency). {@link MachineSpec},
 * {@link MachineInfo} and {@link KernelStats} are the plain-Java views of the protobuf messages.
 */
package io.testbed.gateway.kernel;
