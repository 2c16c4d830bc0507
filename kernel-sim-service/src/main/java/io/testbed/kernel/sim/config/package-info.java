/**
 * Machine settings, a ground-floor package: every knob with Akuma's value as default
 * ({@link io.testbed.kernel.sim.config.Settings}), named profiles ({@link io.testbed.kernel.sim.config.Profiles}),
 * the typed result ({@link io.testbed.kernel.sim.config.MachineSettings}) and the service's properties. Also, for
 * now, the bound on a request's line and headers ({@link io.testbed.kernel.sim.config.HeaderDeadline}) and the
 * error-path filter, which a shared module is to replace.
 */
package io.testbed.kernel.sim.config;
