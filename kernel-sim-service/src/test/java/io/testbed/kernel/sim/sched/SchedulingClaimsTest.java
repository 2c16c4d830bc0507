package io.testbed.kernel.sim.sched;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The mechanics behind the seed's scheduling claims, for stated workloads. These tests pin what each
 * algorithm implies; whether that matches the seed's tables is for the reproduction to judge.
 */
class SchedulingClaimsTest {
    private static final long SECOND = 1_000_000_000L;

    private static void print(String title, Workload w) {
        System.out.printf("%s%n  sequence %s%n  slot shares %s%n  cpu shares %s%n", title, w.sequence(16),
                fmt(w.slotShares()), fmt(w.cpuShares()));
    }

    private static String fmt(Map<Integer, Double> m) {
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(k).append('=').append(String.format("%.4f", v)).append(' '));
        return b.append('}').toString();
    }

    @Nested
    @DisplayName("akuma-ratio, network thread in slot 0 (as the seed document describes), four CPU-bound threads")
    class RatioWithNetworkInSlotZero {

        @Test
        @DisplayName("ratio 4: the network thread gets every fifth slot and almost no CPU; each download a quarter")
        void ratio4_networkEveryFifthSlot() {
            Workload w = new Workload("seed-doc", Map.of("sched.network_thread_ratio", "4"));
            for (int i = 0; i < 4; i++) {
                w.cpuBound("cpu" + i);
            }
            w.runUntil(2 * SECOND);
            print("ratio 4, poller slot 0", w);
            assertThat(w.sequence(16)).containsExactly(8, 9, 10, 11, 0, 8, 9, 10, 11, 0, 8, 9, 10, 11, 0, 8);
            assertThat(w.slotShares().get(0)).isCloseTo(0.20, within(0.01));
            Map<Integer, Double> cpu = w.cpuShares();
            assertThat(cpu.get(0)).isLessThan(0.01);
            for (int tid = 8; tid <= 11; tid++) {
                assertThat(cpu.get(tid)).isCloseTo(0.25, within(0.01));
            }
        }

        @Test
        @DisplayName("ratio 2: the network thread gets every third slot; round robin restarts after it, so two of four threads starve")
        void ratio2_networkEveryThirdSlot_twoThreadsStarve() {
            Workload w = new Workload("seed-doc", Map.of("sched.network_thread_ratio", "2"));
            for (int i = 0; i < 4; i++) {
                w.cpuBound("cpu" + i);
            }
            w.runUntil(2 * SECOND);
            print("ratio 2, poller slot 0", w);
            assertThat(w.sequence(13)).containsExactly(8, 9, 0, 8, 9, 0, 8, 9, 0, 8, 9, 0, 8);
            assertThat(w.slotShares().get(0)).isCloseTo(1.0 / 3, within(0.01));
            Map<Integer, Double> cpu = w.cpuShares();
            assertThat(cpu.get(0)).isLessThan(0.01);
            assertThat(cpu.get(8)).isCloseTo(0.5, within(0.01));
            assertThat(cpu.get(9)).isCloseTo(0.5, within(0.01));
            assertThat(cpu.get(10)).isZero();
            assertThat(cpu.get(11)).isZero();
        }
    }

    @Test
    @DisplayName("akuma-2026-01-31: the boost goes to the idle loop in slot 0, the network thread in slot 1 follows it, the fourth thread starves")
    void akumaCommit_boostGoesToIdleLoop_fourthThreadStarves() {
        Workload w = new Workload("akuma-2026-01-31", Map.of());
        for (int i = 0; i < 4; i++) {
            w.cpuBound("cpu" + i);
        }
        w.runUntil(2 * SECOND);
        print("akuma-2026-01-31", w);
        // the network thread's yield counts as a pass too, so the boost comes after three user slots
        assertThat(w.sequence(16)).containsExactly(1, 8, 9, 10, 0, 1, 8, 9, 10, 0, 1, 8, 9, 10, 0, 1);
        assertThat(w.model.cpu().boosts()).isPositive();
        Map<Integer, Double> cpu = w.cpuShares();
        assertThat(cpu.get(1)).isLessThan(0.01);
        for (int tid = 8; tid <= 10; tid++) {
            assertThat(cpu.get(tid)).isCloseTo(1.0 / 3, within(0.01));
        }
        assertThat(cpu.get(11)).isZero();
    }

    @Test
    @DisplayName("akuma-2026-01-31 with Akuma's later round-robin cursor: the boost no longer restarts round robin, all four threads run")
    void akumaCommit_roundRobinCursor_noThreadStarves() {
        Workload w = new Workload("akuma-2026-01-31", Map.of("sched.round_robin_from", "cursor"));
        for (int i = 0; i < 4; i++) {
            w.cpuBound("cpu" + i);
        }
        w.runUntil(2 * SECOND);
        print("akuma-2026-01-31, round robin from a cursor", w);
        Map<Integer, Double> cpu = w.cpuShares();
        assertThat(w.sequence(16)).contains(8, 9, 10, 11);
        for (int tid = 8; tid <= 11; tid++) {
            assertThat(cpu.get(tid)).as("thread %d", tid).isCloseTo(0.25, within(0.01));
        }
        assertThat(cpu.get(1)).isLessThan(0.01);
    }

    @Test
    @DisplayName("seed-doc ratio 2 with the cursor: the network thread still gets a third of the slots, and no download starves")
    void ratio2_roundRobinCursor_noThreadStarves() {
        Workload w = new Workload("seed-doc", Map.of("sched.network_thread_ratio", "2", "sched.round_robin_from", "cursor"));
        for (int i = 0; i < 4; i++) {
            w.cpuBound("cpu" + i);
        }
        w.runUntil(2 * SECOND);
        print("ratio 2, poller slot 0, round robin from a cursor", w);
        assertThat(w.sequence(12)).containsExactly(8, 9, 0, 10, 11, 0, 8, 9, 0, 10, 11, 0);
        assertThat(w.slotShares().get(0)).isCloseTo(1.0 / 3, within(0.01));
        Map<Integer, Double> cpu = w.cpuShares();
        for (int tid = 8; tid <= 11; tid++) {
            assertThat(cpu.get(tid)).as("thread %d", tid).isCloseTo(0.25, within(0.01));
        }
    }

    @Nested
    @DisplayName("a would-block looper and two CPU-bound threads, network thread in slot 0")
    class WouldBlockLooper {

        private Workload run(String policy) {
            Workload w = new Workload("seed-doc", Map.of("sched.policy", policy, "sched.network_thread_ratio", "4"));
            w.wouldBlockLooper("looper");
            w.cpuBound("cpu-a");
            w.cpuBound("cpu-b");
            w.runUntil(SECOND);
            print(policy, w);
            return w;
        }

        @Test
        @DisplayName("akuma-ratio: the CPU-bound threads get most of the core")
        void akumaRatio_cpuBoundThreadsRun() {
            Map<Integer, Double> cpu = run("akuma-ratio").cpuShares();
            assertThat(cpu.get(9) + cpu.get(10)).isGreaterThan(0.6);
        }

        @Test
        @DisplayName("always-boost: the looper and the network thread keep the core; the CPU-bound threads starve")
        void alwaysBoost_cpuBoundThreadsStarve() {
            Map<Integer, Double> cpu = run("always-boost").cpuShares();
            assertThat(cpu.get(9)).isZero();
            assertThat(cpu.get(10)).isZero();
            assertThat(cpu.get(0) + cpu.get(8)).isCloseTo(1.0, within(1e-9));
        }

        @Test
        @DisplayName("poll-request-immediate: the looper and the network thread take turns; the CPU-bound threads get a fraction of their slots")
        void pollRequestImmediate_tightLoopStarvesOthers() {
            Workload w = run("poll-request-immediate");
            Map<Integer, Double> cpu = w.cpuShares();
            Map<Integer, Double> slots = w.slotShares();
            assertThat(slots.get(0) + slots.get(8)).isGreaterThan(0.99);
            // a CPU-bound thread's rare slot lasts a whole tick period (12.5 ms with the relative re-arm)
            assertThat(cpu.get(0) + cpu.get(8)).isGreaterThan(0.6);
            assertThat(cpu.get(9) + cpu.get(10)).isLessThan(0.4);
            assertThat(w.model.cpu().boosts()).isGreaterThan(1000);
        }

        @Test
        @DisplayName("poll-request-per-thread: one honoured request per syscall; the CPU-bound threads run")
        void pollRequestPerThread_cpuBoundThreadsRun() {
            Map<Integer, Double> cpu = run("poll-request-per-thread").cpuShares();
            assertThat(cpu.get(9) + cpu.get(10)).isGreaterThan(0.5);
        }

        @Test
        @DisplayName("poll-request-rate-limited: at most one honoured request per interval; the CPU-bound threads run")
        void pollRequestRateLimited_cpuBoundThreadsRun() {
            Map<Integer, Double> cpu = run("poll-request-rate-limited").cpuShares();
            assertThat(cpu.get(9) + cpu.get(10)).isGreaterThan(0.5);
        }
    }
}
