/**
 * The simulated machine's TCP sockets as smoltcp 0.12.0 inside embassy-net 0.6, configured as Akuma had
 * it: window advertised at polls and clamped to one 1474-byte burst, one segment per socket per egress
 * pass, the out-of-order {@link io.testbed.kernel.sim.net.socket.Assembler}, smoltcp's ACK rules
 * (delayed ACK, immediate ACK, window update, challenge ACK) and its
 * {@link io.testbed.kernel.sim.net.socket.RttEstimator}. docs/MODEL.md "The machine's TCP" maps each rule
 * to its source line.
 */
package io.testbed.kernel.sim.net.socket;
