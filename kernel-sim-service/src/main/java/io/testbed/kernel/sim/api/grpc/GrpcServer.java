package io.testbed.kernel.sim.api.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Runs the gRPC server (syscalls and machine admin) for the service's lifetime, with gRPC metrics, and, when
 * given a {@link BearerToken}, refusing every call without it ({@code UNAUTHENTICATED}; issue 16).
 */
public class GrpcServer implements SmartLifecycle {
    private static final System.Logger LOG = System.getLogger(GrpcServer.class.getName());
    private final KernelSimProperties.Grpc config;
    private final MachineRegistry registry;
    private final MeterRegistry meters;
    private final BearerToken token;
    private Server server;

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
        server = NettyServerBuilder.forAddress(new InetSocketAddress(config.getAddress(), config.getPort()))
                // handlers only hand requests to a machine's inbox: run them on the transport thread, no extra hop
                .directExecutor()
                .maxInboundMessageSize(config.getMaxInboundMessageBytes())
                .maxConcurrentCallsPerConnection(config.getMaxConcurrentCallsPerConnection())
                .addService(ServerInterceptors.intercept(new SyscallService(registry), interceptors))
                .addService(ServerInterceptors.intercept(new MachinesService(registry), interceptors))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start gRPC on " + config.getAddress() + ":" + config.getPort(), e);
        }
        LOG.log(System.Logger.Level.INFO, "kernel-sim gRPC listening on {0}:{1}{2}", config.getAddress(), String.valueOf(server.getPort()),
                token == null ? "" : ", bearer token required");
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
