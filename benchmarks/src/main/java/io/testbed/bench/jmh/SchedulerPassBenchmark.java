package io.testbed.bench.jmh;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.runtime.UpstreamGate;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.machine.MachineModel;
import io.testbed.kernel.sim.sched.Step;
import io.testbed.kernel.sim.sched.ThreadKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one scheduler pass: a machine whose user threads only yield (the boot thread's idle
 * loop and the network thread's poll-and-yield besides), so every step ends in a pass of
 * {@code akuma-ratio} (count, boost every 4th, wake expired sleepers, round robin over the slots).
 * One op = one pass, including its two engine events (the pass's own CPU step and the yielding
 * thread's step) and the slot scans; {@code users} is how many of the 24 user slots are taken.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class SchedulerPassBenchmark {
    static final int PASSES = 10_000;

    @Param({"1", "8", "24"})
    public int users;

    @Param({"akuma-ratio", "round-robin"})
    public String policy;

    MachineModel model;

    @Setup(Level.Trial)
    public void setUp() {
        MachineSettings settings = Profiles.resolve(Profiles.DEFAULT, Map.of("sched.policy", policy));
        model = new MachineModel(settings, true, 1, UpstreamGate.peers(settings, () -> 0L, true, (h, p, l) -> null),
                KernelListener.NONE);
        for (int i = 0; i < users; i++) {
            model.spawn("yielder-" + i, ThreadKind.USER, MachineModel.FIRST_USER_SLOT, now -> Step.yield(500));
        }
    }

    @Benchmark
    @OperationsPerInvocation(PASSES)
    public long pass() {
        long target = model.cpu().passes() + PASSES;
        while (model.cpu().passes() < target) {
            model.events().fireNext();
        }
        return model.events().now();
    }
}
