package io.testbed.bench.jmh;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.framed.FramedKernel;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.api.framed.FramedServer;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One syscall round trip ({@code clock_gettime}: no kernel work but the syscall entry/exit steps) on a
 * virtual-clock machine, from the client's call to its reply: through {@link InProcessKernel} (the
 * engine thread's inbox, no serialisation), through {@link GrpcKernel} over a real loopback gRPC
 * stream to the service's {@link GrpcServer} ({@code grpc}), and the same over its Unix domain socket
 * ({@code grpc-uds}: {@code testbed.kernel.grpc.uds-path}, a {@code unix://} target), and through {@link FramedKernel}
 * over the service's framed socket ({@code framed}: {@code testbed.kernel.framed.uds-path}, a {@code framed://}
 * target; issue 19). SampleTime mode: JMH
 * reports p50, p90, p99, p99.9.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class SyscallRoundTripBenchmark {

    @Param({"inprocess", "grpc", "grpc-uds", "framed"})
    public String binding;

    @Param({"virtual"})
    public String clock;

    MachineRegistry registry;
    GrpcServer server;
    FramedServer framed;
    ManagedChannel channel;
    Kernel kernel;
    UserThread thread;
    Path udsDir;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        p.setUpstreams(List.of());
        p.getGrpc().setPort(0);
        registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        String id = registry.create("rtt", "", Map.of(),
                "live".equals(clock) ? Clock.CLOCK_LIVE : Clock.CLOCK_VIRTUAL, 1).id();
        if ("grpc".equals(binding)) {
            server = new GrpcServer(p, registry, new SimpleMeterRegistry());
            server.start();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            kernel = new GrpcKernel(channel, true, Duration.ofSeconds(30));
        } else if ("grpc-uds".equals(binding)) {
            udsDir = Files.createTempDirectory("kernel-sim-rtt");
            p.getGrpc().setUdsPath(udsDir.resolve("grpc.sock").toString());
            server = new GrpcServer(p, registry, new SimpleMeterRegistry());
            server.start();
            channel = Grpc.newChannelBuilder("unix://" + server.udsPath(), InsecureChannelCredentials.create()).build();
            kernel = new GrpcKernel(channel, true, Duration.ofSeconds(30));
        } else if ("framed".equals(binding)) {
            udsDir = Files.createTempDirectory("kernel-sim-rtt");
            p.getFramed().setUdsPath(udsDir.resolve("framed.sock").toString());
            framed = new FramedServer(p, registry, null);
            framed.start();
            kernel = new FramedKernel(framed.udsPath(), null, Duration.ofSeconds(30), 2 << 20);
        } else {
            kernel = new InProcessKernel(registry, Duration.ofSeconds(30));
        }
        thread = kernel.attach(id, "rtt");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        thread.close();
        kernel.close();
        if (server != null) {
            server.stop();
        }
        if (framed != null) {
            framed.stop();
        }
        registry.close();
        if (udsDir != null) {
            Files.deleteIfExists(udsDir);
        }
    }

    @Benchmark
    public long clockGettime() {
        return thread.clockGettime(Errno.CLOCK_MONOTONIC).getRet();
    }
}
