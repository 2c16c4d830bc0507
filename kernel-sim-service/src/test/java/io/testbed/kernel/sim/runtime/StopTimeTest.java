package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code machine.stop_at_ms}: simulated time stops at the bound, so a run cut off there ends at the
 * same simulated time whenever its observer looks.
 */
class StopTimeTest {
    private static final long MS = 1_000_000;
    private SimFixture sim;
    private MachineRegistry registry;
    private InProcessKernel kernel;
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        sim = SimFixture.machines();
        registry = sim.registry;
        kernel = sim.kernel;
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        sim.close();
    }

    record Held(long nowNs, int sleepsDone, String state) {
    }

    /** A thread sleeping 1 ms at a time, forever, on a machine that stops at 50 ms; what the machine shows once held. */
    private Held run(long seed) throws Exception {
        Machine m = registry.create("bounded", "", Map.of("machine.stop_at_ms", "50", "sleep.model", "hires"), Clock.CLOCK_VIRTUAL, seed);
        AtomicInteger sleeps = new AtomicInteger();
        UserThread t = kernel.attach(m.id(), "sleeper");
        CompletableFuture<Void> sleeper = CompletableFuture.runAsync(() -> {
            while (true) {
                t.chargeUserCpu(200_000);
                t.nanosleep(MS);
                sleeps.incrementAndGet();
            }
        }, pool);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!m.loop().held() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        MachineStats stats = m.loop().stats().get(5, TimeUnit.SECONDS);
        Thread.sleep(100); // real time passes; simulated time must not
        MachineStats later = m.loop().stats().get(5, TimeUnit.SECONDS);
        assertThat(later.getNowNs()).isEqualTo(stats.getNowNs());
        assertThat(later.getCountersMap()).containsEntry("held_at_stop_time", 1L);
        Held held = new Held(stats.getNowNs(), sleeps.get(), m.loop().held() ? "held" : "running");
        registry.delete(m.id());
        assertThat(sleeper).failsWithin(Duration.ofSeconds(10)); // the machine is gone: the thread's client is told
        return held;
    }

    @Test
    @DisplayName("time stops at the bound (within one tick), the machine says held, and the same seed stops at the same time")
    void stopsAtTheBound_sameTimeEveryRun() throws Exception {
        Held a = run(3);
        Held b = run(3);
        System.out.printf("stop at 50 ms: held at %.3f ms after %d sleeps, state %s%n", a.nowNs / 1e6, a.sleepsDone, a.state);
        // the steps of the core run on to the next queued event, at most one 10 ms tick past the bound
        assertThat(a.nowNs).isBetween(50 * MS, 60 * MS);
        assertThat(a.state).isEqualTo("held");
        assertThat(b).isEqualTo(a);
    }
}
