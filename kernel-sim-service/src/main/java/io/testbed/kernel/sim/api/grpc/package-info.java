/**
 * The gRPC adapter: the syscall stream per user thread, the machine admin API, the server lifecycle. Thin:
 * all behaviour lives in the engine.
 */
package io.testbed.kernel.sim.api.grpc;
