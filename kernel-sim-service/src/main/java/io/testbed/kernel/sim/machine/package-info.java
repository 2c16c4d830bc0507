/**
 * The service's machines: creating them from profiles and overrides, finding and deleting them.
 */
package io.testbed.kernel.sim.machine;
