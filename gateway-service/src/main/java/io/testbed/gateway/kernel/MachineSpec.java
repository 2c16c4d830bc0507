package io.testbed.gateway.kernel;

import java.util.Map;

/**
 * What to create: the fields of {@code CreateMachineRequest}.
 *
 * @param profile   a kernel profile name, empty for the kernel's default
 * @param overrides setting name -> value, applied over the profile
 * @param clock     {@code virtual} or {@code live}
 * @param seed      the machine's single random seed
 * @param name      a label shown in the machine list
 * @param owner     the id of what the machine is for (a download's or an experiment's id), empty for none: the
 *                  kernel returns it as is ({@code Machine.owner}), so a restarted gateway finds its machines by it
 */
public record MachineSpec(String profile, Map<String, String> overrides, String clock, long seed, String name, String owner) {

    /** A machine for no owner (a check, a benchmark). */
    public MachineSpec(String profile, Map<String, String> overrides, String clock, long seed, String name) {
        this(profile, overrides, clock, seed, name, "");
    }
}
