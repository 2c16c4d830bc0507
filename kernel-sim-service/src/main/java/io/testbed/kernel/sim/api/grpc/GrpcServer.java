package io.testbed.kernel.sim.api.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.MachineRegistry;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Runs the gRPC server (syscalls and machine admin) for the service's lifetime, with gRPC metrics. */
public class GrpcServer implements SmartLifecycle {
    private static final System.Logger LOG = System.getLogger(GrpcServer.class.getName());
    private final KernelSimProperties.Grpc config;
    private final MachineRegistry registry;
    private final MeterRegistry meters;
    private Server server;

    public GrpcServer(KernelSimProperties properties, MachineRegistry registry, MeterRegistry meters) {
        this.config = properties.getGrpc();
        this.registry = registry;
        this.meters = meters;
    }

    @Override
    public void start() {
        MetricCollectingServerInterceptor metrics = new MetricCollectingServerInterceptor(meters);
        server = NettyServerBuilder.forAddress(new InetSocketAddress(config.getAddress(), config.getPort()))
                // handlers only hand requests to a machine's inbox: run them on the transport thread, no extra hop
                .directExecutor()
                .maxInboundMessageSize(config.getMaxInboundMessageBytes())
                .maxConcurrentCallsPerConnection(config.getMaxConcurrentCallsPerConnection())
                .addService(ServerInterceptors.intercept(new SyscallService(registry), metrics))
                .addService(ServerInterceptors.intercept(new MachinesService(registry), metrics))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start gRPC on " + config.getAddress() + ":" + config.getPort(), e);
        }
        LOG.log(System.Logger.Level.INFO, "kernel-sim gRPC listening on {0}:{1}", config.getAddress(), String.valueOf(server.getPort()));
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
