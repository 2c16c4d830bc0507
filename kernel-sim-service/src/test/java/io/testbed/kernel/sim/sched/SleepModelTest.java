package io.testbed.kernel.sim.sched;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a nanosleep costs under each sleep model, measured by the syscall's own entry and exit times. */
class SleepModelTest {
    private static final long MS = 1_000_000;
    private SimFixture sim;
    private MachineRegistry registry;
    private InProcessKernel kernel;

    @BeforeEach
    void setUp() {
        sim = SimFixture.machines();
        registry = sim.registry;
        kernel = sim.kernel;
    }

    @AfterEach
    void tearDown() throws Exception {
        sim.close();
    }

    /** Durations of {@code count} consecutive 1 ms sleeps, spaced by a little userspace work. */
    private List<Long> sleeps(String model, int count) {
        Machine m = registry.create("sleep", "", Map.of("sleep.model", model), Clock.CLOCK_VIRTUAL, 3);
        List<Long> d = new ArrayList<>();
        try (UserThread t = kernel.attach(m.id(), "sleeper")) {
            for (int i = 0; i < count; i++) {
                t.chargeUserCpu(700_000L * (i % 7));
                SyscallReply r = t.nanosleep(MS);
                assertThat(r.getRet()).isZero();
                d.add(r.getExitTimeNs() - r.getEntryTimeNs());
            }
        }
        return d;
    }

    @Test
    @DisplayName("wfi-until-tick: a 1 ms sleep idles the core until the next tick (10 ms + the IRQ latency with relative re-arm)")
    void wfiUntilTick_1msSleep_costsUpToOneTick() {
        List<Long> d = sleeps("wfi-until-tick", 40);
        double mean = d.stream().mapToLong(Long::longValue).average().orElseThrow();
        System.out.printf("wfi-until-tick 1 ms sleep: min %.3f ms, mean %.3f ms, max %.3f ms%n",
                d.stream().mapToLong(x -> x).min().getAsLong() / 1e6, mean / 1e6, d.stream().mapToLong(x -> x).max().getAsLong() / 1e6);
        long period = 10 * MS + io.testbed.kernel.sim.config.Profiles.resolve("", Map.of()).getLong(Settings.TIMER_IRQ_LATENCY_NS);
        // herd's own 100 ms sleep also idles the core until a tick: a sleep it lands in lasts up to two periods
        assertThat(d).allSatisfy(x -> assertThat(x).isGreaterThanOrEqualTo(MS).isLessThanOrEqualTo(2 * period + 100_000));
        assertThat(d.stream().filter(x -> x > period + 100_000).count()).isLessThanOrEqualTo(6);
        assertThat(mean).isGreaterThan(2.5 * MS);
    }

    @Test
    @DisplayName("hires: a 1 ms sleep costs 1 ms plus the scheduling that follows")
    void hires_1msSleep_costsAboutOneMillisecond() {
        List<Long> d = sleeps("hires", 40);
        System.out.printf("hires 1 ms sleep: max %.3f ms%n", d.stream().mapToLong(x -> x).max().getAsLong() / 1e6);
        assertThat(d).allSatisfy(x -> assertThat(x).isBetween(MS, MS + 200_000));
    }

    @Test
    @DisplayName("tick-rounded: a 1 ms sleep ends at a tick boundary, the core runs others meanwhile")
    void tickRounded_1msSleep_endsAfterATickBoundary() {
        List<Long> d = sleeps("tick-rounded", 40);
        assertThat(d).allSatisfy(x -> assertThat(x).isGreaterThanOrEqualTo(MS).isLessThanOrEqualTo(10 * MS + 200_000));
    }
}
