/**
 * The virtio-net receive side: RX buffers posted at a time, and what happens to a frame that finds none.
 */
package io.testbed.kernel.sim.net.nic;
