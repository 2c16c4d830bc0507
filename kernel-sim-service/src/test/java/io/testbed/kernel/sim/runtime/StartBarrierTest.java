package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code machine.start_after_threads}: simulated time stands still until that many user threads have
 * attached, so threads whose clients attach at different real times still start together, and a run
 * with several of them repeats exactly whatever the order and spacing of the attaches.
 */
class StartBarrierTest {
    private static final long MS = 1_000_000;
    private static final int THREADS = 4;
    private SimFixture sim;
    private MachineRegistry registry;
    private InProcessKernel kernel;
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        sim = SimFixture.machines();
        registry = sim.registry;
        kernel = sim.kernel;
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        sim.close();
    }

    /** What one thread saw: the entry time of its first syscall and the exit time of its last. */
    record Seen(long firstEntryNs, long lastExitNs) {
    }

    /** The same busy-then-sleep program on every thread: userspace work, a sleep, a yield. */
    private static Seen program(UserThread t) {
        long first = -1;
        long last = 0;
        for (int i = 0; i < 60; i++) {
            t.chargeUserCpu(300_000L * (1 + i % 5));
            SyscallReply r = t.nanosleep(MS * (1 + i % 3));
            assertThat(r.getRet()).isZero();
            if (first < 0) {
                first = r.getEntryTimeNs();
            }
            last = t.schedYield().getExitTimeNs();
        }
        return new Seen(first, last);
    }

    record Run(List<Seen> seen, long traceHash, long endNs) {
    }

    /**
     * Attaches the threads in {@code order}, each after the previous one has attached and spent
     * {@code spacingMs} of real time running its program, then waits for all of them.
     */
    private Run run(Map<String, String> overrides, int[] order, long spacingMs) throws Exception {
        Machine m = registry.create("barrier", "", overrides, Clock.CLOCK_VIRTUAL, 7);
        List<CompletableFuture<Seen>> futures = new ArrayList<>();
        for (int name : order) {
            CompletableFuture<Void> attached = new CompletableFuture<>();
            futures.add(CompletableFuture.supplyAsync(() -> {
                try (UserThread t = kernel.attach(m.id(), "worker-" + name)) {
                    attached.complete(null);
                    return program(t);
                }
            }, pool));
            attached.get(30, TimeUnit.SECONDS);
            Thread.sleep(spacingMs); // real time between attaches: the first threads' clients run meanwhile
        }
        List<Seen> seen = new ArrayList<>();
        for (CompletableFuture<Seen> f : futures) {
            seen.add(f.get(60, TimeUnit.SECONDS));
        }
        MachineStats stats = m.loop().stats().get(5, TimeUnit.SECONDS);
        registry.delete(m.id());
        seen.sort((a, b) -> Long.compare(a.lastExitNs, b.lastExitNs));
        return new Run(seen, stats.getCountersMap().get("trace_hash"), seen.get(seen.size() - 1).lastExitNs);
    }

    @Test
    @DisplayName("time stands still until the last thread attaches, and the stats say how many are awaited")
    void beforeTheLastAttach_timeStandsStill() throws Exception {
        Machine m = registry.create("barrier", "", Map.of("machine.start_after_threads", "2"), Clock.CLOCK_VIRTUAL, 1);
        UserThread first = kernel.attach(m.id(), "first");
        // the first thread sleeps, then exits (a thread between syscalls holds the virtual clock)
        CompletableFuture<SyscallReply> sleeping = CompletableFuture.supplyAsync(() -> {
            try (first) {
                return first.nanosleep(5 * MS);
            }
        }, pool);
        Thread.sleep(100);
        MachineStats waiting = m.loop().stats().get(5, TimeUnit.SECONDS);
        assertThat(waiting.getNowNs()).isZero();
        assertThat(waiting.getCountersMap()).containsEntry("waiting_for_threads", 1L).containsEntry("quiescent", 1L)
                .doesNotContainKey("syscalls.nanosleep");
        assertThat(sleeping).as("the sleep has not even started").isNotDone();

        try (UserThread second = kernel.attach(m.id(), "second")) {
            // the second thread must make its syscalls too: a thread between syscalls holds the clock
            assertThat(second.nanosleep(MS).getRet()).isZero();
            SyscallReply slept = sleeping.get(30, TimeUnit.SECONDS);
            assertThat(slept.getEntryTimeNs()).as("the first sleep starts at the start").isLessThan(MS);
            assertThat(slept.getExitTimeNs() - slept.getEntryTimeNs()).isGreaterThanOrEqualTo(5 * MS);
            assertThat(m.loop().stats().get(5, TimeUnit.SECONDS).getCountersMap()).containsEntry("waiting_for_threads", 0L);
        }
    }

    @Test
    @DisplayName("four threads attached in any order and spacing start together and give the same run")
    void anyAttachOrder_sameRun() throws Exception {
        Map<String, String> barrier = Map.of("machine.start_after_threads", String.valueOf(THREADS), "sleep.model", "hires");
        Run a = run(barrier, new int[]{0, 1, 2, 3}, 0);
        Run b = run(barrier, new int[]{3, 2, 1, 0}, 40);
        Run c = run(barrier, new int[]{1, 3, 0, 2}, 15);
        System.out.printf("start barrier, 4 threads: end %.3f ms, trace %x; first entries %s%n", a.endNs / 1e6, a.traceHash,
                a.seen.stream().map(s -> s.firstEntryNs).toList());

        assertThat(a.seen).allSatisfy(s -> assertThat(s.firstEntryNs).as("every thread starts at the start").isLessThan(2 * MS));
        assertThat(b).isEqualTo(a);
        assertThat(c).isEqualTo(a);
    }

    @Test
    @DisplayName("without the barrier, a thread whose client attaches after another's 20th syscall starts that late")
    void withoutTheBarrier_aLateThreadStartsLate() throws Exception {
        Machine m = registry.create("no-barrier", "", Map.of("sleep.model", "hires"), Clock.CLOCK_VIRTUAL, 7);
        CompletableFuture<Long> twentieth = new CompletableFuture<>();
        CompletableFuture<Void> early = CompletableFuture.runAsync(() -> {
            try (UserThread t = kernel.attach(m.id(), "early")) {
                for (int i = 0; i < 40; i++) {
                    long exit = t.nanosleep(MS).getExitTimeNs();
                    if (i == 19) {
                        twentieth.complete(exit);
                    }
                }
            }
        }, pool);
        long at = twentieth.get(30, TimeUnit.SECONDS);
        long lateStart;
        try (UserThread late = kernel.attach(m.id(), "late")) {
            lateStart = late.nanosleep(MS).getEntryTimeNs();
        }
        early.get(30, TimeUnit.SECONDS);
        registry.delete(m.id());
        System.out.printf("no barrier: a thread attached after another's 20th 1 ms sleep starts at %.3f ms%n", lateStart / 1e6);
        assertThat(at).isGreaterThanOrEqualTo(20 * MS);
        assertThat(lateStart).as("the early thread ran alone while the late one's client had not attached").isGreaterThanOrEqualTo(at);
    }
}
