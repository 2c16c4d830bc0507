package io.testbed.bench.jmh;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.testbed.kernel.api.Counters;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.metrics.KernelMetrics;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.kernel.sim.runtime.MemoryUpstreamConnector;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link EngineBenchmark#download}'s download (1 MiB of raw TCP from the in-memory bulk server on
 * {@code akuma-2026-01-31}, {@code recvfrom(4096)}, {@code nanosleep(10 ms)} on EAGAIN) as the service runs
 * it: a fresh virtual-clock machine per download with its engine thread ({@code MachineLoop}), the
 * service's {@code KernelMetrics} as listener, and the client on the benchmark thread, through
 * {@link InProcessKernel} (the engine thread's inbox) or through {@link GrpcKernel} over a loopback gRPC
 * stream to the service's {@link GrpcServer}. No TLS, no real upstream, no other process.
 *
 * <p>Reported: {@code events} per wall second of the benchmark (client included); and the totals
 * {@code busyEvents} and {@code busyNs}, the machine's {@code events} and {@code wall_busy_ns} counters, whose
 * ratio is the figure issue 19's target names (engine events per second of {@code wall_busy_ns}, measured
 * by the service on a TLS download): the engine's own time per event, including the syscalls' delivery and
 * the replies it hands to the binding.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class EngineLoopBenchmark {
    static final long BYTES = 1 << 20;
    static final long SLEEP_NS = 10_000_000L;

    /**
     * Totals: the machines' events, their {@code wall_busy_ns} (busyEvents / busyNs is the service's figure) and
     * the CPU time of their engine threads (busyEvents / engineCpuNs: what the engine costs when the wall
     * clock's waits, e.g. being preempted by the threads its replies wake, are left out).
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Busy {
        public long busyEvents;
        public long busyNs;
        public long engineCpuNs;

        @Setup(Level.Iteration)
        public void clear() {
            busyEvents = 0;
            busyNs = 0;
            engineCpuNs = 0;
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** The CPU time of the machine's engine thread (named {@code machine-<id>}), or 0 if it is not found. */
    private static long engineCpuNs(Machine m) {
        String name = "machine-" + m.id();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return Math.max(0, THREADS.getThreadCpuTime(t.getId()));
            }
        }
        return 0;
    }

    @State(Scope.Benchmark)
    public static class Stack {
        @Param({"inprocess", "grpc"})
        public String binding;

        MachineRegistry registry;
        GrpcServer server;
        ManagedChannel channel;
        Kernel kernel;

        @Setup(Level.Trial)
        public void setUp() {
            KernelSimProperties p = new KernelSimProperties();
            p.setDefaultMachine(false);
            p.setUpstreams(List.of());
            p.getGrpc().setPort(0);
            MachineRegistry[] self = new MachineRegistry[1];
            KernelMetrics metrics = new KernelMetrics(() -> self[0] == null ? 0 : self[0].list().size());
            metrics.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            registry = new MachineRegistry(p, metrics, System::nanoTime, MemoryUpstreamConnector.factory("bulk.test:80"));
            self[0] = registry;
            if ("grpc".equals(binding)) {
                server = new GrpcServer(p, registry, new SimpleMeterRegistry());
                server.start();
                channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
                kernel = new GrpcKernel(channel, true, Duration.ofSeconds(30));
            } else {
                kernel = new InProcessKernel(registry, Duration.ofSeconds(30));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            kernel.close();
            if (server != null) {
                server.stop();
            }
            registry.close();
        }
    }

    @Benchmark
    public long download(Stack s, EngineBenchmark.Events counter, Busy busy) throws Exception {
        Machine m = s.registry.create("download", "", Map.of(), Clock.CLOCK_VIRTUAL, 1);
        long received = 0;
        try (UserThread t = s.kernel.attach(m.id(), "download")) {
            int fd = (int) check(t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0));
            check(t.connect(fd, "bulk.test", 80));
            byte[] request = (BYTES + "\n").getBytes(StandardCharsets.US_ASCII);
            check(t.sendto(fd, request, 0, request.length, 0));
            while (true) {
                SyscallReply r = t.recvfrom(fd, 4096, 0);
                if (r.getRet() > 0) {
                    received += r.getRet();
                } else if (r.getRet() == 0) {
                    break;
                } else if (r.getErrno() == Errno.EAGAIN) {
                    t.nanosleep(SLEEP_NS);
                } else {
                    throw new IllegalStateException("recvfrom errno " + r.getErrno());
                }
            }
            check(t.close(fd));
            t.exit(0);
        }
        if (received != BYTES) {
            throw new IllegalStateException("received " + received + " of " + BYTES);
        }
        Map<String, Long> c = m.loop().stats().get(10, TimeUnit.SECONDS).getCountersMap();
        busy.engineCpuNs += engineCpuNs(m);
        s.registry.delete(m.id());
        long events = c.get(Counters.EVENTS);
        counter.events += events;
        busy.busyEvents += events;
        busy.busyNs += c.get(Counters.WALL_BUSY_NS);
        return received;
    }

    private static long check(SyscallReply r) {
        if (r.getRet() < 0) {
            throw new IllegalStateException("syscall failed: errno " + r.getErrno());
        }
        return r.getRet();
    }
}
