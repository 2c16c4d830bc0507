package io.testbed.tls.client.kernel;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingClientInterceptor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.v1.SyscallsGrpc;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.framed.FramedKernel;
import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.web.security.TokenProperties;
import io.testbed.tls.client.config.TestbedProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernels downloads can run on, by name: each {@code testbed.kernels.<name>=host:port} (or
 * {@code unix:///path}, the Unix domain socket of a kernel-sim on this host) is a
 * kernel-sim reached with {@link GrpcKernel} (plaintext, bounded inbound message size, a generous
 * reply timeout since a live-clock nanosleep takes real time); {@code framed:///path} is kernel-sim's framed
 * syscall socket ({@code testbed.kernel.framed.uds-path}) reached with {@link FramedKernel} (the same reply timeout,
 * replies bounded as gRPC's, the token in its hello; no gRPC metrics: it is not gRPC), and {@code host} is the
 * {@link HostKernel} baseline when enabled. Channels are made on first use and shut down with the
 * application. Every channel carries Micrometer's {@link MetricCollectingClientInterceptor}
 * ({@code grpc.client.*}, tags service, method, methodType and statusCode: bounded by the ABI),
 * its {@code Syscalls} meters registered at start, and the bearer token ({@code testbed.security.token}) when set.
 * With {@link KernelDiscovery} on, a kernel named {@code address:port} is accepted for a new download while the
 * discovery name resolves to it.
 */
@Component
public class KernelTargets implements DisposableBean {
    public static final String HOST = "host";
    /** The scheme of a Unix domain socket target: {@code unix:///path}. */
    public static final String UNIX = "unix://";
    /** The scheme of kernel-sim's framed syscall socket: {@code framed:///path}. */
    public static final String FRAMED = FramedKernel.SCHEME;

    private final TestbedProperties.TlsClient settings;
    private final Map<String, String> targets;
    private final Kernel hostKernel;
    private final Map<String, Kernel> kernels = new ConcurrentHashMap<>();
    private final MetricCollectingClientInterceptor grpcMetrics;
    private final KernelDiscovery discovery;
    private final KernelDiscovery.Resolver resolver;
    private volatile java.util.Set<String> discovered = java.util.Set.of();
    private volatile long resolvedAtNanos = Long.MIN_VALUE / 2;
    private final io.grpc.ClientInterceptor bearer;
    /** The {@code Authorization} value a framed hello carries, or null. */
    private final String authorization;

    @org.springframework.beans.factory.annotation.Autowired
    public KernelTargets(TestbedProperties properties, MeterRegistry meters, KernelDiscovery discovery, TokenProperties security) {
        this(properties, meters, discovery, KernelDiscovery.Resolver.DNS, security.resolve());
    }

    /** Without metrics (tests, tools): the gRPC meters go to a private registry. */
    public KernelTargets(TestbedProperties properties) {
        this(properties, new SimpleMeterRegistry(), (String) null);
    }

    /**
     * @param token the bearer token sent on every syscall and admin call (kernel-sim wants it when its gRPC port
     *              is opened beyond loopback: issue 16), or null
     */
    public KernelTargets(TestbedProperties properties, MeterRegistry meters, String token) {
        this(properties, meters, KernelDiscovery.OFF, KernelDiscovery.Resolver.DNS, token);
    }

    public KernelTargets(TestbedProperties properties, MeterRegistry meters, KernelDiscovery discovery,
                         KernelDiscovery.Resolver resolver, String token) {
        this.discovery = discovery;
        this.resolver = resolver;
        this.settings = properties.tlsClient();
        this.bearer = token == null ? null : new BearerToken(token).clientInterceptor();
        this.authorization = token == null ? null : new BearerToken(token).headerValue();
        this.grpcMetrics = new MetricCollectingClientInterceptor(meters);
        this.grpcMetrics.preregisterService(SyscallsGrpc.getServiceDescriptor());
        this.targets = properties.kernels();
        // a target that can never be reached is a configuration error: say so at start, not at the first download
        targets.forEach((name, target) -> {
            try {
                if (target.startsWith(FRAMED)) {
                    framedPath(target);
                } else {
                    channelBuilder(target);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("testbed.kernels." + name + ": " + e.getMessage(), e);
            }
        });
        if (properties.hostKernel().enabled() && !targets.containsKey(HOST)) {
            Map<String, String> names = new HashMap<>();
            for (String entry : properties.hostKernel().upstreams()) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("testbed.host-kernel.upstreams entry '" + entry
                            + "' is not simulated-host:port=real-host:port");
                }
                names.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            }
            Map<String, InetSocketAddress> parsed = HostKernel.parseNames(names);
            this.hostKernel = new HostKernel(parsed);
        } else {
            this.hostKernel = null;
        }
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(targets.keySet());
        if (hostKernel != null) {
            names.add(HOST);
        }
        names.sort(null);
        return names;
    }

    /** @throws UnknownKernelException for a name not configured */
    public Kernel get(String name) {
        if (hostKernel != null && HOST.equals(name)) {
            return hostKernel;
        }
        String target = targets.get(name);
        if (target == null && discovery.enabled() && isDiscovered(name)) {
            target = name;
        }
        if (target == null) {
            throw new UnknownKernelException(name, names());
        }
        String t = target;
        return kernels.computeIfAbsent(name, n -> t.startsWith(FRAMED)
                ? new FramedKernel(framedPath(t), authorization, settings.kernelReplyTimeout(), settings.maxInboundMessage())
                : grpc(t));
    }

    /**
     * The socket of a {@code framed:///absolute/path} target.
     *
     * @throws IllegalArgumentException a target that is not of that form
     */
    static Path framedPath(String target) {
        String path = target.substring(FRAMED.length());
        if (!path.startsWith("/") || path.startsWith("//") || path.endsWith("/")) {
            throw new IllegalArgumentException("kernel target '" + target + "' is not framed:///absolute/path/of/the/socket");
        }
        return Path.of(path);
    }

    /** Whether the discovery name resolves to {@code name} now: the cached answer, or a fresh one when stale or missing it. */
    private boolean isDiscovered(String name) {
        long now = System.nanoTime();
        boolean stale = now - resolvedAtNanos > discovery.refresh().toNanos();
        boolean mayRetry = now - resolvedAtNanos > 100_000_000L;
        if (stale || !discovered.contains(name) && mayRetry) {
            synchronized (this) {
                java.util.Set<String> found;
                try {
                    found = java.util.Set.copyOf(resolver.resolve(discovery.dns(), discovery.port()));
                } catch (java.net.UnknownHostException e) {
                    found = java.util.Set.of();
                }
                // a kernel gone from the name takes no new download; one still running on it (a terminating pod
                // finishes its machines) keeps its channel, which closes with the application
                discovered = found;
                resolvedAtNanos = now;
            }
        }
        return discovered.contains(name);
    }

    private Kernel grpc(String target) {
        ManagedChannelBuilder<?> builder = channelBuilder(target)
                .maxInboundMessageSize(settings.maxInboundMessage())
                .intercept(grpcMetrics);
        if (bearer != null) {
            builder.intercept(bearer);
        }
        ManagedChannel channel = builder.build();
        return new GrpcKernel(channel, true, settings.kernelReplyTimeout());
    }

    /**
     * A plaintext channel to a kernel target: {@code host:port} (an IPv6 address in brackets), or
     * {@code unix:///absolute/path}, kernel-sim's Unix domain socket ({@code testbed.kernel.grpc.uds-path}) for a
     * kernel on this host: the same calls without the loopback TCP stack (issue 19), on netty's epoll transport.
     *
     * @throws IllegalArgumentException a target of neither form, or a socket where epoll is not available
     */
    static ManagedChannelBuilder<?> channelBuilder(String target) {
        if (target.startsWith(UNIX)) {
            String path = target.substring(UNIX.length());
            if (!path.startsWith("/") || path.startsWith("//") || path.endsWith("/")) {
                throw new IllegalArgumentException("kernel target '" + target + "' is not unix:///absolute/path/of/the/socket");
            }
            if (!Epoll.isAvailable()) {
                throw new IllegalArgumentException("kernel target '" + target + "' needs netty's epoll transport (Linux"
                        + " x86_64 or aarch64), which is not available here: " + Epoll.unavailabilityCause());
            }
            // grpc-netty-shaded's unix resolver and channel: the epoll domain-socket channel on gRPC's shared event loops
            ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder("unix://" + path, InsecureChannelCredentials.create());
            if (builder instanceof NettyChannelBuilder netty) {
                // gRPC asks every connection for TCP keep-alive, which a Unix socket does not have: unset, not warned about
                netty.withOption(ChannelOption.SO_KEEPALIVE, null);
            }
            return builder;
        }
        int colon = target.lastIndexOf(':');
        String host = colon <= 0 ? "" : target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            // an IPv6 address as discovery names it
            host = host.substring(1, host.length() - 1);
        }
        int port = colon <= 0 ? -1 : parsePort(target.substring(colon + 1));
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("kernel target '" + target + "' is not host:port (port 1-65535), unix:///path or framed:///path");
        }
        return ManagedChannelBuilder.forAddress(host, port).usePlaintext();
    }

    private static int parsePort(String port) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void destroy() {
        kernels.values().forEach(Kernel::close);
        if (hostKernel != null) {
            hostKernel.close();
        }
    }
}
