package io.testbed.kernel.sim.api.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the gRPC server (syscalls and machine admin) for the service's lifetime, with gRPC metrics, and, when
 * given a {@link BearerToken}, refusing every call without it ({@code UNAUTHENTICATED}; issue 16). Besides the TCP
 * port, {@code testbed.kernel.grpc.uds-path} adds a Unix domain socket for clients on the same host (issue 19):
 * the same services behind the same interceptors, without the loopback TCP stack (netty's epoll transport).
 */
public class GrpcServer implements SmartLifecycle {
    private static final System.Logger LOG = System.getLogger(GrpcServer.class.getName());
    private final KernelSimProperties.Grpc config;
    private final MachineRegistry registry;
    private final MeterRegistry meters;
    private final BearerToken token;
    private Server server;
    private Server udsServer;
    private UnixSocketPath socket;
    private EventLoopGroup udsLoops;

    /** Open to every caller (loopback). */
    public GrpcServer(KernelSimProperties properties, MachineRegistry registry, MeterRegistry meters) {
        this(properties, registry, meters, null);
    }

    /** @param token the token every call must carry, or null for none */
    public GrpcServer(KernelSimProperties properties, MachineRegistry registry, MeterRegistry meters, BearerToken token) {
        this.config = properties.getGrpc();
        this.registry = registry;
        this.meters = meters;
        this.token = token;
    }

    @Override
    public void start() {
        MetricCollectingServerInterceptor metrics = new MetricCollectingServerInterceptor(meters);
        // the last interceptor given runs first: the metrics see every call, refused ones as UNAUTHENTICATED, and a call
        // without the token is refused before a service sees it
        ServerInterceptor[] interceptors = token == null ? new ServerInterceptor[]{metrics}
                : new ServerInterceptor[]{token.serverInterceptor(), metrics};
        SyscallService syscalls = new SyscallService(registry);
        MachinesService machines = new MachinesService(registry);
        server = services(NettyServerBuilder.forAddress(new InetSocketAddress(config.getAddress(), config.getPort())),
                syscalls, machines, interceptors).build();
        try {
            server.start();
        } catch (IOException e) {
            server = null;
            throw new UncheckedIOException("cannot start gRPC on " + config.getAddress() + ":" + config.getPort(), e);
        }
        LOG.log(System.Logger.Level.INFO, "kernel-sim gRPC listening on {0}:{1}{2}", config.getAddress(), String.valueOf(server.getPort()),
                token == null ? "" : ", bearer token required");
        if (!config.getUdsPath().isEmpty()) {
            try {
                startUds(syscalls, machines, interceptors);
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
        }
    }

    private void startUds(SyscallService syscalls, MachinesService machines, ServerInterceptor[] interceptors) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("testbed.kernel.grpc.uds-path needs netty's epoll transport (Linux x86_64 or"
                    + " aarch64), which is not available here: " + Epoll.unavailabilityCause());
        }
        socket = UnixSocketPath.prepare(config.getUdsPath());
        // one loop accepts and serves: a client keeps one connection, which one loop thread serves either way
        udsLoops = new EpollEventLoopGroup(1, new DefaultThreadFactory("grpc-uds", true));
        udsServer = services(NettyServerBuilder.forAddress(new DomainSocketAddress(socket.path().toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(udsLoops)
                .workerEventLoopGroup(udsLoops)
                // gRPC asks every connection for TCP keep-alive, which a Unix socket does not have: unset, not warned about
                .withChildOption(ChannelOption.SO_KEEPALIVE, null), syscalls, machines, interceptors).build();
        try {
            udsServer.start();
        } catch (IOException e) {
            Path path = socket.path();
            // not bound: the file, if any, is not ours to remove at stop
            socket = null;
            throw new UncheckedIOException("cannot start gRPC on unix:" + path + ": " + e.getMessage(), e);
        }
        socket.restrict();
        LOG.log(System.Logger.Level.INFO, "kernel-sim gRPC listening on unix:{0}{1}", socket.path(),
                token == null ? "" : ", bearer token required");
    }

    private NettyServerBuilder services(NettyServerBuilder builder, SyscallService syscalls, MachinesService machines,
                                        ServerInterceptor[] interceptors) {
        return builder
                // handlers only hand requests to a machine's inbox: run them on the transport thread, no extra hop
                .directExecutor()
                .maxInboundMessageSize(config.getMaxInboundMessageBytes())
                .maxConcurrentCallsPerConnection(config.getMaxConcurrentCallsPerConnection())
                .addService(ServerInterceptors.intercept(syscalls, interceptors))
                .addService(ServerInterceptors.intercept(machines, interceptors));
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.getPort();
    }

    /** The Unix domain socket's path, or null when there is none ({@code testbed.kernel.grpc.uds-path} empty). */
    public Path udsPath() {
        return udsServer == null ? null : socket.path();
    }

    @Override
    public void stop() {
        shutdown(server);
        server = null;
        shutdown(udsServer);
        udsServer = null;
        if (udsLoops != null) {
            udsLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            udsLoops = null;
        }
        if (socket != null) {
            socket.remove();
            socket = null;
        }
    }

    private static void shutdown(Server s) {
        if (s == null) {
            return;
        }
        s.shutdownNow();
        try {
            s.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
