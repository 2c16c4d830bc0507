/**
 * The gRPC binding of the kernel ABI: one bidirectional stream per simulated user thread.
 */
package io.testbed.kernel.api.grpc;
