/**
 * The remote host of each connection as a pure protocol machine ({@link io.testbed.kernel.sim.net.remote.RemoteTcp}):
 * QEMU's user network ({@link io.testbed.kernel.sim.net.remote.SlirpTcp}, the default), the machine's smoltcp
 * model as a sender ({@link io.testbed.kernel.sim.net.remote.SmoltcpRemote}) or an idealised sender
 * ({@link io.testbed.kernel.sim.net.remote.SimpleTcp}). Time comes from the event queue; no wall clock. Its
 * bytes come from a real, allow-listed upstream ({@link io.testbed.kernel.sim.net.remote.Upstream}) through
 * the wall-clock gate in {@code io.testbed.kernel.sim.upstream}.
 */
package io.testbed.kernel.sim.net.remote;
