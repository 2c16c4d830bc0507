/**
 * The simulated machine's TCP sockets, with smoltcp 0.12's timing: window advertised at polls, delayed ACK.
 */
package io.testbed.kernel.sim.net.socket;
