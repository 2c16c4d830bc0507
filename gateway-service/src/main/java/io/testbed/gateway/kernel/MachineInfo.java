package io.testbed.gateway.kernel;

import java.util.Map;

/**
 * A machine as kernel-sim describes it ({@code Machine} in kernel.proto), tagged with its kernel target;
 * {@code owner} is the id it was created for ({@link MachineSpec#owner}), empty for none.
 */
public record MachineInfo(String kernel, String id, String name, String profile, String clock, long seed,
                          Map<String, String> settings, long nowNs, int threads, String state, String owner) {
}
