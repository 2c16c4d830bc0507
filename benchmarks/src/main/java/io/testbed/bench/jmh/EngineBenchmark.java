package io.testbed.bench.jmh;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.runtime.UpstreamGate;
import io.testbed.bench.model.DrivenMachine;
import io.testbed.kernel.sim.config.Profiles;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.metrics.KernelMetrics;
import io.testbed.kernel.sim.machine.MachineModel;
import io.testbed.kernel.sim.sched.SimThread;
import io.testbed.kernel.sim.sched.Step;
import io.testbed.kernel.sim.sched.ThreadKind;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Engine events per second on one machine, driven from the benchmark thread through
 * {@link MachineModel} directly (no engine thread, no gRPC, no real socket).
 * <ul>
 *   <li>{@code download}: a raw-TCP download of 1 MiB from an in-memory upstream on
 *       {@code akuma-2026-01-31}, the client sleeping 10 ms on EAGAIN (the workload of benchmark 1
 *       without TLS): network thread polls, idle loop, ticks, link, TCP, syscalls; with
 *       {@code listener=metrics} the service's {@code KernelMetrics} hear every event, as in kernel-sim.</li>
 *   <li>{@code scheduler}: a synthetic workload after {@code SchedulingClaimsTest}: four would-block
 *       loopers (Akuma's recvfrom loop on an empty socket: check, yield, EAGAIN after 50) under
 *       {@code akuma-ratio} with the idle loop and the network thread, 10 ms simulated per op.</li>
 * </ul>
 * Events are counted as the machine's stats count them: fired from the queue plus CPU continuations
 * run inline without the queue ({@code Cpu.inlineSteps}; {@code -Dtestbed.noInline=true} turns that off).
 * The {@code events} counter is reported as a rate: engine events per wall second; {@code cpuEvents}
 * and {@code cpuNs} are totals, whose ratio is events per second of the benchmark thread's CPU time
 * (what the engine achieves when it has a core to itself).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class EngineBenchmark {

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Events {
        /** Engine events fired (reported per second). */
        public long events;

        @Setup(Level.Iteration)
        public void clear() {
            events = 0;
        }
    }

    /**
     * Totals over an iteration: engine events and the benchmark thread's CPU time, so that events per
     * CPU second can be computed on a machine whose other load takes cores away (wall-clock rates then
     * understate the engine).
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Cpu {
        public long cpuNs;
        public long cpuEvents;

        @Setup(Level.Iteration)
        public void clear() {
            cpuNs = 0;
            cpuEvents = 0;
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    @State(Scope.Thread)
    public static class Synthetic {
        MachineModel model;
        /** Simulated time the ops have reached: each op fires the events of the next 10 ms. */
        long until;

        @Setup(Level.Trial)
        public void setUp() {
            MachineSettings settings = Profiles.resolve(Profiles.DEFAULT, Map.of());
            model = new MachineModel(settings, true, 1, UpstreamGate.peers(settings, () -> 0L, true, (h, p, l) -> null),
                    KernelListener.NONE);
            for (int i = 0; i < 4; i++) {
                SimThread[] self = new SimThread[1];
                int[] iteration = new int[1];
                self[0] = model.spawn("looper-" + i, ThreadKind.USER, MachineModel.FIRST_USER_SLOT, now -> {
                    long cost = model.settings().getLong(Settings.COST_SOCKET_CHECK_NS);
                    model.cpu().policy().onWouldBlock(now, self[0]);
                    if (++iteration[0] >= model.settings().getInt(Settings.SYSCALL_EAGAIN_ITERATIONS)) {
                        iteration[0] = 0;
                        model.cpu().policy().onSyscallReturn(now, self[0]);
                        return Step.cont(cost + model.settings().getLong(Settings.COST_SYSCALL_NS));
                    }
                    return Step.yield(cost);
                });
            }
        }
    }

    @State(Scope.Thread)
    public static class Download {
        @Param({"1048576"})
        public long bytes;

        /** none: KernelListener.NONE; metrics: the service's KernelMetrics on a Prometheus registry. */
        @Param({"none", "metrics"})
        public String listener;

        KernelListener kernelListener;

        @Setup(Level.Trial)
        public void setUp() {
            if ("metrics".equals(listener)) {
                KernelMetrics m = new KernelMetrics(() -> 1);
                m.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
                kernelListener = m;
            } else {
                kernelListener = KernelListener.NONE;
            }
        }
    }

    @Benchmark
    public long download(Download d, Events counter, Cpu cpu) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        DrivenMachine m = new DrivenMachine(Profiles.DEFAULT, Map.of(), d.bytes, 10_000_000L, 4096, d.kernelListener);
        long fired = m.run();
        counter.events += fired;
        cpu.cpuEvents += fired;
        cpu.cpuNs += THREADS.getCurrentThreadCpuTime() - c0;
        return m.simulatedNs();
    }

    @Benchmark
    public long scheduler(Synthetic s, Events counter, Cpu cpu) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        MachineModel model = s.model;
        // a running target: "now + 10 ms" stalled for good once the next tick lay more than 10 ms after the
        // last fired event (the rest of a pass runs inline, without events), and every op then fired nothing
        long until = s.until += 10_000_000L;
        long before = DrivenMachine.events(model);
        while (model.events().peekTime() <= until) {
            model.events().fireNext();
        }
        long fired = DrivenMachine.events(model) - before;
        counter.events += fired;
        cpu.cpuEvents += fired;
        cpu.cpuNs += THREADS.getCurrentThreadCpuTime() - c0;
        return fired;
    }
}
