package io.testbed.kernel.sim.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named bundles of settings describing Akuma at a point in time.
 * <ul>
 *   <li>{@code akuma-2026-01-31}: the code at the seed's commit (ratio 4, network thread in slot 1 while
 *       slot 0 loops idle, 50 EAGAIN iterations, wfi sleeps, 4 KiB buffers, 10 ms delayed ACK, one RX
 *       buffer). The default.</li>
 *   <li>{@code seed-doc}: as the seed document describes it (network thread is thread 0, ratio 2).</li>
 *   <li>{@code akuma-2026-02-09}: ratio 2 and 500 EAGAIN iterations.</li>
 * </ul>
 */
public final class Profiles {
    public static final String DEFAULT = "akuma-2026-01-31";

    private static final Map<String, Map<String, String>> PROFILES = new LinkedHashMap<>();

    static {
        PROFILES.put(DEFAULT, Map.of());
        PROFILES.put("seed-doc", Map.of("net.poller_slot", "0", "sched.network_thread_ratio", "2"));
        PROFILES.put("akuma-2026-02-09", Map.of("sched.network_thread_ratio", "2", "syscall.eagain_iterations", "500"));
    }

    private Profiles() {
    }

    public static Set<String> names() {
        return PROFILES.keySet();
    }

    /**
     * The effective settings of a profile plus overrides.
     *
     * @throws IllegalArgumentException for an unknown profile or a bad override
     */
    public static MachineSettings resolve(String profile, Map<String, String> overrides) {
        String name = profile == null || profile.isBlank() ? DEFAULT : profile.trim();
        Map<String, String> bundle = PROFILES.get(name);
        if (bundle == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "'; known profiles: " + PROFILES.keySet());
        }
        Map<String, String> values = Settings.apply(Settings.defaults(), bundle);
        values = Settings.apply(values, overrides == null ? Map.of() : overrides);
        return new MachineSettings(name, values);
    }
}
