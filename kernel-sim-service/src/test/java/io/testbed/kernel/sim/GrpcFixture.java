package io.testbed.kernel.sim;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.MachinesGrpc;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What the tests over real gRPC share (the gRPC sibling of {@link SimFixture}): a machine registry, its
 * gRPC server on a free loopback port, a plaintext channel to it, the {@link GrpcKernel} binding and the
 * Machines stub, and optionally a {@link BulkServer} allow-listed as {@code bulk.test:80}.
 */
public final class GrpcFixture implements AutoCloseable {
    public final BulkServer upstream;
    public final MachineRegistry registry;
    public final GrpcServer server;
    public final ManagedChannel channel;
    public final GrpcKernel kernel;
    public final MachinesGrpc.MachinesBlockingStub admin;

    private GrpcFixture(boolean bulkServer, Duration replyTimeout) throws IOException {
        upstream = bulkServer ? new BulkServer() : null;
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        if (upstream != null) {
            p.setUpstreams(List.of("bulk.test:80=127.0.0.1:" + upstream.port()));
        }
        p.getGrpc().setPort(0);
        registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        server = new GrpcServer(p, registry, new SimpleMeterRegistry());
        server.start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        kernel = new GrpcKernel(channel, false, replyTimeout);
        admin = MachinesGrpc.newBlockingStub(channel);
    }

    /** A registry with no default machine, serving a bulk server at {@code bulk.test:80}. */
    public static GrpcFixture withBulkServer(Duration replyTimeout) throws IOException {
        return new GrpcFixture(true, replyTimeout);
    }

    /** A registry with no default machine and no upstream. */
    public static GrpcFixture machines(Duration replyTimeout) throws IOException {
        return new GrpcFixture(false, replyTimeout);
    }

    @Override
    public void close() throws IOException {
        channel.shutdownNow();
        server.stop();
        registry.close();
        if (upstream != null) {
            upstream.close();
        }
    }
}
