/**
 * Machine settings, a ground-floor package: every knob with Akuma's value as default
 * ({@link io.testbed.kernel.sim.config.Settings}), named profiles ({@link io.testbed.kernel.sim.config.Profiles}),
 * the typed result ({@link io.testbed.kernel.sim.config.MachineSettings}) and the service's properties. The bound on
 * a request's line and headers and the error-path filter are testbed-web's.
 */
package io.testbed.kernel.sim.config;
