/**
 * Real TCP upstreams behind simulated connections: the allow-list, the socket I/O threads (outside the
 * engine: blocking I/O that reports to the machine's inbox), and the {@link io.testbed.kernel.sim.upstream.UpstreamGate}
 * that joins an upstream to its remote TCP and owns everything that reads the wall clock (holds, quiet
 * windows, the first-byte timeout, late arrivals).
 */
package io.testbed.kernel.sim.upstream;
