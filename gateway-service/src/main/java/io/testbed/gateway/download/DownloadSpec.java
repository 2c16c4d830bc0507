package io.testbed.gateway.download;

import java.util.Map;

/**
 * A download request with every default filled in.
 *
 * @param kernel    the kernel-sim target name
 * @param repo      repository name on the git server
 * @param client    TLS client name in tls-client
 * @param policy    the would-block policy
 * @param clock     {@code virtual} or {@code live}
 * @param profile   kernel profile, empty for the kernel's default
 * @param overrides kernel settings over the profile
 * @param seed      the machine's seed
 */
public record DownloadSpec(String kernel, String repo, String client, Policy policy, String clock, String profile,
                           Map<String, String> overrides, long seed) {

    public DownloadSpec {
        overrides = Map.copyOf(overrides);
    }

    /** The same download on another kernel (the one discovery picked). */
    public DownloadSpec onKernel(String other) {
        return new DownloadSpec(other, repo, client, policy, clock, profile, overrides, seed);
    }

    /** Whether the kernel's default live machine can run this as is, without creating one. */
    public boolean usesDefaultLiveMachine() {
        return "live".equals(clock) && profile.isEmpty() && overrides.isEmpty();
    }
}
