package io.testbed.tls.client.kernel;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Kernels this service accepts besides the static {@code testbed.kernels.<name>} list (issue 20,
 * {@code testbed.kernel-discovery.*}, the same settings the gateway reads): with {@code dns} set, a download may
 * name a kernel {@code address:port} when that is one of the addresses {@code dns} resolves to (a headless
 * Service's ready kernel-sim pods) with {@code port}; that is how the gateway names the kernels it discovers.
 * Nothing else is connected to, so a request cannot point this service at an arbitrary host.
 *
 * @param dns     a DNS name whose addresses are kernels; empty: off (the default)
 * @param port    the gRPC port of every discovered kernel
 * @param refresh how long one answer is used; a name not in it is looked up again at once (at most every 100 ms)
 */
@ConfigurationProperties("testbed.kernel-discovery")
public record KernelDiscovery(@DefaultValue("") String dns, @DefaultValue("50051") int port, @DefaultValue("5s") Duration refresh) {

    public static final KernelDiscovery OFF = new KernelDiscovery("", 50051, Duration.ofSeconds(5));

    public KernelDiscovery {
        dns = dns == null ? "" : dns.trim();
    }

    public boolean enabled() {
        return !dns.isEmpty();
    }

    /** Turns a DNS name into the {@code address:port} targets behind it; tests give their own. */
    @FunctionalInterface
    public interface Resolver {
        List<String> resolve(String name, int port) throws UnknownHostException;

        /** The JVM's resolver: every address of the name (IPv6 in brackets). */
        Resolver DNS = (name, port) -> Arrays.stream(InetAddress.getAllByName(name))
                .map(a -> (a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress()) + ":" + port)
                .distinct().sorted().toList();
    }
}
