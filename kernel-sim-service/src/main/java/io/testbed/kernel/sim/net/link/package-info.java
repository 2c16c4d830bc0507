/**
 * The wire: {@link io.testbed.kernel.sim.net.link.Link} and a serialising basic link (bandwidth, latency).
 */
package io.testbed.kernel.sim.net.link;
