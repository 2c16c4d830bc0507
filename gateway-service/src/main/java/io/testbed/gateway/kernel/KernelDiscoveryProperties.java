package io.testbed.gateway.kernel;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Where the kernels come from and how their health is followed ({@code testbed.kernel-discovery.*}, issue 20).
 *
 * @param dns           a DNS name whose addresses are the kernels (a headless Service's,
 *                      {@code kernel-sim-headless.<namespace>.svc.cluster.local}); empty: the static
 *                      {@code testbed.kernels.<name>} list, the default
 * @param port          the gRPC port every discovered kernel serves on
 * @param refresh       how often the name is resolved again and every kernel's health and load are read
 *                      ({@code Machines.List}); 0: never (the static list is then used as configured, unprobed)
 * @param probeDeadline the longest one health read may take before the kernel counts as failing
 * @param maxAttempts   how often a run is started again on another kernel when its kernel fails under it
 * @param waitForKernel how long a run waits for a healthy kernel with room before it fails
 */
@ConfigurationProperties("testbed.kernel-discovery")
public record KernelDiscoveryProperties(@DefaultValue("") String dns,
                                        @DefaultValue("50051") int port,
                                        @DefaultValue("5s") Duration refresh,
                                        @DefaultValue("2s") Duration probeDeadline,
                                        @DefaultValue("3") int maxAttempts,
                                        @DefaultValue("2m") Duration waitForKernel) {

    public KernelDiscoveryProperties {
        dns = dns == null ? "" : dns.trim();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("testbed.kernel-discovery.port must be 1..65535, was " + port);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("testbed.kernel-discovery.max-attempts must be at least 1, was " + maxAttempts);
        }
        if (refresh.isNegative() || probeDeadline.isNegative() || probeDeadline.isZero() || waitForKernel.isNegative()) {
            throw new IllegalArgumentException("testbed.kernel-discovery: refresh and wait-for-kernel must be >= 0, probe-deadline > 0");
        }
        if (!dns.isEmpty() && refresh.isZero()) {
            throw new IllegalArgumentException("testbed.kernel-discovery.refresh must be > 0 when kernels are discovered from '" + dns + "'");
        }
    }

    /** Whether the kernels come from DNS rather than the static list. */
    public boolean enabled() {
        return !dns.isEmpty();
    }
}
