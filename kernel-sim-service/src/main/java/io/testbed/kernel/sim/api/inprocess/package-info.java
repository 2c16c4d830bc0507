/**
 * The in-process binding of the kernel API, for tests and benchmarks: same machines, same messages, no gRPC.
 */
package io.testbed.kernel.sim.api.inprocess;
