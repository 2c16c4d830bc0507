/**
 * Machine settings: every knob with Akuma's value as default ({@link io.testbed.kernel.sim.config.Settings}),
 * named profiles ({@link io.testbed.kernel.sim.config.Profiles}), the typed result
 * ({@link io.testbed.kernel.sim.config.MachineSettings}), and the service's own Spring configuration: who may
 * call the gRPC port ({@link io.testbed.kernel.sim.config.GrpcAccess}, the bearer token when bound beyond
 * loopback); the bound on a request's line and headers is testbed-web's ({@link io.testbed.web.tomcat.HeaderDeadline}).
 */
package io.testbed.kernel.sim.config;
