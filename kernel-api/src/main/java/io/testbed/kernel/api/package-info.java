/**
 * The kernel ABI as Java: {@link io.testbed.kernel.api.Kernel} and {@link io.testbed.kernel.api.UserThread}, the interface every client is written against; Linux errno numbers in {@link io.testbed.kernel.api.Errno}. Generated protobuf/gRPC classes live in {@code v1}.
 */
package io.testbed.kernel.api;
