/**
 * Micrometer metrics of all machines, fed by the engine through {@link io.testbed.kernel.sim.machine.KernelListener}.
 */
package io.testbed.kernel.sim.metrics;
