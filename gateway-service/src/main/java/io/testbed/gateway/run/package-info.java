/**
 * Running downloads on a machine, the one way the gateway does it: a {@link io.testbed.gateway.run.MachineRun}
 * goes through create machine, start downloads, poll, stats, delete machine; {@link io.testbed.gateway.run.MachineRuns}
 * creates runs and drives every run's polls from one scheduler. A single download ({@code download}) and an
 * experiment's run ({@code experiment}) each say what a poll means to them. Below the features, above the clients
 * ({@code kernel}, {@code tlsclient}).
 */
package io.testbed.gateway.run;
