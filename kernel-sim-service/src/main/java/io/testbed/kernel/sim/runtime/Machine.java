package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.config.MachineSettings;

/** A running simulated machine as the service sees it: identity, settings and its engine loop. */
public record Machine(String id, String name, Clock clock, long seed, MachineSettings settings, MachineLoop loop) {
}
