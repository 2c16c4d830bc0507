package io.testbed.gateway.experiment;

import java.util.Map;
import java.util.TreeMap;

/**
 * A machine of an experiment: a kernel profile and settings over it.
 *
 * @param label     how tables and charts name it (defaults to the profile and the overrides)
 * @param profile   kernel profile, empty for the kernel's default
 * @param overrides kernel settings over the profile (kernel-sim-service/README.md lists them)
 */
public record MachineConfig(String label, String profile, Map<String, String> overrides) {

    public MachineConfig {
        profile = profile == null ? "" : profile;
        overrides = overrides == null ? Map.of() : Map.copyOf(new TreeMap<>(overrides));
        if (label == null || label.isBlank()) {
            label = describe(profile, overrides);
        }
    }

    static String describe(String profile, Map<String, String> overrides) {
        StringBuilder b = new StringBuilder(profile.isEmpty() ? "default" : profile);
        new TreeMap<>(overrides).forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    /** Profile and overrides in a fixed order: the machine's part of a cell's identity. */
    String key() {
        return describe(profile, overrides);
    }
}
