package io.testbed.tls.client.download;

import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.support.SlowResponses;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19, determinism first: the virtual clock waits for the git server's marks, not for it to go quiet.
 * The same download is repeated on fresh machines (same profile, same seed) from a git server whose
 * upload-pack answer pauses 300 ms after every 64 KiB ({@link SlowResponses}), while CPU burners load
 * the host: with marks every run gives the same trace, with no late arrival and no wall-clock decision;
 * with quiet windows ({@code upstream.sync=quiet}, 100 ms) the same pauses are taken for the end of the
 * answer and the runs count late arrivals, so the test can tell the two apart. {@code -Dmarks.runs=N}
 * repeats more (the default 3 keeps the suite short); {@code -Dmarks.repo} picks the repository.
 */
@DisplayName("A download from a slowed git server, repeated under load")
class MarksDeterminismTest {
    static final SimulatedMachines SIM = SimulatedMachines.get();
    static final int RUNS = Integer.getInteger("marks.runs", 3);
    static final String REPO = System.getProperty("marks.repo", "pack-256k");
    static final int QUIET_RUNS = Integer.getInteger("marks.quiet-runs", 2);

    record Run(String sync, long traceHash, long late, long quietDecisions, long marks, long simulatedNs, long wallNs,
               boolean verified) {
        @Override
        public String toString() {
            return String.format("%-6s trace %016x late %d quiet-decisions %d marks %d simulated %.6f s wall %.2f s verified %s",
                    sync, traceHash, late, quietDecisions, marks, simulatedNs / 1e9, wallNs / 1e9, verified);
        }
    }

    static Run download(String sync, int port, Map<String, String> extra) throws Exception {
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.put("upstream.sync", sync);
        String machine = SIM.create(SimulatedMachines.AKUMA, overrides);
        try {
            DownloadPlan plan = new DownloadPlan("marks-" + sync, machine, REPO, "git.testbed", port, TlsEngines.get("bc"),
                    new TlsSettings("git.testbed", ServerVerifier.fromCaFile(SIM.git().caFile()), null, null),
                    // no practical idle bound: with quiet windows a 300 ms pause lets simulated time run on, and how far
                    // depends on the host's load (5000 empty reads ended a quiet run at load ~12)
                    WouldBlockPolicies.create(PolicySpec.sleep(1, 10_000_000)), 4096, FetchOptions.defaults("testbed-test/1"),
                    null, false);
            long t0 = System.nanoTime();
            DownloadResult r = Downloader.run(SIM.kernel(), plan, new DownloadProgress(new IoStats()));
            long wall = System.nanoTime() - t0;
            assertThat(r.error()).as("download error").isNull();
            Map<String, Long> c = settled(machine);
            return new Run(sync, c.get("trace_hash"), c.get("upstream_late_arrivals"), c.get("upstream_quiet_decisions"),
                    c.get("upstream_marks"), r.simulatedNs(), wall, r.pack() != null && r.pack().verified());
        } finally {
            SIM.delete(machine);
        }
    }

    /** The machine's counters once it has nothing left to do (the connections' last segments included). */
    static Map<String, Long> settled(String machine) throws InterruptedException {
        Map<String, Long> c = SIM.counters(machine);
        for (int i = 0; i < 600 && c.get("quiescent") == 0; i++) {
            Thread.sleep(50);
            c = SIM.counters(machine);
        }
        assertThat(c.get("quiescent")).as("the machine settles").isEqualTo(1L);
        return c;
    }

    /** Threads that keep the host's cores busy while they are open. */
    static final class Burners implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        volatile long sink;

        Burners(int n) {
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    long x = 1;
                    while (!stop.get()) {
                        for (int k = 0; k < 100_000; k++) {
                            x = x * 6364136223846793005L + 1442695040888963407L;
                        }
                        sink = x;
                    }
                }, "cpu-burner-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    @Test
    @DisplayName("with marks every run gives the same trace and no late arrival; quiet windows count late arrivals")
    void slowedServer_underLoad_marksRepeatExactly_quietDoesNot() throws Exception {
        List<Run> marks = new ArrayList<>();
        List<Run> quiet = new ArrayList<>();
        try (Burners load = new Burners(2)) {
            for (int i = 0; i < RUNS; i++) {
                marks.add(download("marks", SimulatedMachines.SLOW_PORT, Map.of()));
                if (i < QUIET_RUNS) {
                    quiet.add(download("quiet", SimulatedMachines.SLOW_PORT, Map.of()));
                }
            }
        }
        marks.forEach(r -> System.out.println("slowed " + REPO + " under load: " + r));
        quiet.forEach(r -> System.out.println("slowed " + REPO + " under load: " + r));

        for (Run r : marks) {
            assertThat(r.verified()).isTrue();
            assertThat(r.late()).as("late arrivals with marks").isZero();
            assertThat(r.quietDecisions()).as("wall-clock decisions with marks").isZero();
            assertThat(r.marks()).as("marks heard").isPositive();
            assertThat(r.traceHash()).as("trace hash of every marks run").isEqualTo(marks.get(0).traceHash());
            assertThat(r.simulatedNs()).isEqualTo(marks.get(0).simulatedNs());
        }
        for (Run r : quiet) {
            assertThat(r.verified()).as("quiet windows still deliver the pack").isTrue();
            assertThat(r.quietDecisions()).as("quiet windows decide by the wall clock").isPositive();
            assertThat(r.late()).as("each 300 ms pause outlasts the 100 ms quiet window").isPositive();
            assertThat(r.marks()).isZero();
        }
    }

    @Test
    @DisplayName("several at once, each on its own machine, from the slowed server: all the same trace, none late")
    void slowedServer_concurrentMachines_allRepeatExactly() throws Exception {
        int n = Integer.getInteger("marks.concurrent", 4);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<Run>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> download("marks", SimulatedMachines.SLOW_PORT, Map.of())));
            }
            List<Run> runs = new ArrayList<>();
            for (java.util.concurrent.Future<Run> f : futures) {
                runs.add(f.get(300, java.util.concurrent.TimeUnit.SECONDS));
            }
            runs.forEach(r -> System.out.println("slowed " + REPO + ", " + n + " at once: " + r));
            for (Run r : runs) {
                assertThat(r.verified()).isTrue();
                assertThat(r.late()).isZero();
                assertThat(r.quietDecisions()).isZero();
                assertThat(r.traceHash()).isEqualTo(runs.get(0).traceHash());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("from a fast server, marks and generous quiet windows agree on the trace")
    void fastServer_marksAndQuietAgree() throws Exception {
        Run marks = download("marks", 443, Map.of());
        Run quiet = download("quiet", 443, Map.of("upstream.quiet_ms", "1000"));
        System.out.println("fast " + REPO + ": " + marks);
        System.out.println("fast " + REPO + ": " + quiet);
        assertThat(marks.late()).isZero();
        assertThat(marks.quietDecisions()).isZero();
        assertThat(quiet.late()).as("a 1 s window outlasts every pause of an unslowed server").isZero();
        assertThat(quiet.traceHash()).as("the same decisions, taken by the window instead of the mark").isEqualTo(marks.traceHash());
        assertThat(marks.wallNs()).as("marks do not wait out a window after each answer").isLessThan(quiet.wallNs());
    }

    @Test
    @DisplayName("measurement (-Dmarks.measure=true): the wall time of marks and of 100 ms quiet windows, fast server, under load")
    void measure_fastServer_wallTime() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("marks.measure"), "a measurement, not a check: -Dmarks.measure=true");
        List<Run> runs = new ArrayList<>();
        try (Burners load = new Burners(2)) {
            for (int i = 0; i < RUNS; i++) {
                runs.add(download("marks", 443, Map.of()));
                runs.add(download("quiet", 443, Map.of()));
            }
        }
        runs.forEach(r -> System.out.println("fast " + REPO + " under load: " + r));
    }
}
