package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.config.MachineSettings;

/**
 * A running simulated machine as the service sees it: identity, settings and its engine loop; {@code owner} is the
 * id its creator gave it ({@code CreateMachineRequest.owner}), empty if none.
 */
public record Machine(String id, String name, Clock clock, long seed, MachineSettings settings, MachineLoop loop, String owner) {

    public Machine(String id, String name, Clock clock, long seed, MachineSettings settings, MachineLoop loop) {
        this(id, name, clock, seed, settings, loop, "");
    }
}
