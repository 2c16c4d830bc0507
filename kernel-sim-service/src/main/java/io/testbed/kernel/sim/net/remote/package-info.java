/**
 * The remote host of each connection: a TCP sender and receiver whose bytes come from a real, allow-listed
 * upstream ({@link io.testbed.kernel.sim.net.remote.Upstream}); the model decides when they arrive.
 */
package io.testbed.kernel.sim.net.remote;
