package io.testbed.gateway.kernel;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * Named kernel-sim gRPC targets ({@code testbed.kernels.<name>=host:port}, the same property
 * tls-client-service reads) and how long one admin call may take.
 *
 * @param kernels  name -> host:port; {@code default} is used when a request names none
 * @param kernelAdmin the admin-call deadline
 */
@ConfigurationProperties("testbed")
public record KernelProperties(Map<String, String> kernels, @DefaultValue KernelAdmin kernelAdmin) {

    public static final String DEFAULT_KERNEL = "default";

    public KernelProperties {
        kernels = kernels == null || kernels.isEmpty() ? Map.of(DEFAULT_KERNEL, "127.0.0.1:50051") : Map.copyOf(kernels);
    }

    /** @param deadline the longest one {@code Machines} call may take before the kernel counts as unreachable */
    public record KernelAdmin(@DefaultValue("10s") Duration deadline) {
    }
}
