/**
 * The gRPC binding of the kernel ABI: one bidirectional stream per simulated user thread, and the ABI's one
 * credential, {@link io.testbed.kernel.api.grpc.BearerToken} ({@code authorization: Bearer} metadata).
 */
package io.testbed.kernel.api.grpc;
