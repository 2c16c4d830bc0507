/**
 * Machine settings: every knob with Akuma's value as default ({@link io.testbed.kernel.sim.config.Settings}),
 * named profiles ({@link io.testbed.kernel.sim.config.Profiles}), the typed result
 * ({@link io.testbed.kernel.sim.config.MachineSettings}), and the service's own Spring configuration.
 */
package io.testbed.kernel.sim.config;
