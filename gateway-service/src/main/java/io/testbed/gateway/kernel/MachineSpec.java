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
 */
public record MachineSpec(String profile, Map<String, String> overrides, String clock, long seed, String name) {
}
