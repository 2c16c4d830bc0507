/**
 * The network stack: sockets, NIC, link and remote hosts wired together; packets move only when
 * {@link io.testbed.kernel.sim.net.NetworkStack#poll(long)} runs.
 */
package io.testbed.kernel.sim.net;
