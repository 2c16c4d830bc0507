/**
 * The only code that sees the wall clock: the engine thread that owns a machine and paces or fast-forwards
 * its virtual clock ({@link io.testbed.kernel.sim.runtime.MachineLoop}, real time through a
 * {@link io.testbed.kernel.sim.runtime.Ticker}), the service's machines ({@link io.testbed.kernel.sim.runtime.MachineRegistry},
 * {@link io.testbed.kernel.sim.runtime.Machine}), and the real TCP upstreams behind simulated connections: the
 * allow-list, the socket I/O threads (outside the engine: blocking I/O that reports to the machine's inbox),
 * the {@link io.testbed.kernel.sim.runtime.MarkFeed} (an upstream's own account of when it has written all it
 * will write until it reads more, for upstreams that give one, such as the testbed's git server), and the
 * {@link io.testbed.kernel.sim.runtime.UpstreamGate} that joins an upstream to its remote TCP and owns
 * everything that reads the wall clock (holds, marks or quiet windows, the timeouts, late arrivals and quiet
 * decisions). {@link io.testbed.kernel.sim.runtime.MemoryUpstreamConnector} is an in-memory upstream with marks.
 */
package io.testbed.kernel.sim.runtime;
