package io.testbed.gateway.experiment;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.kernel.KernelStats;
import io.testbed.gateway.kernel.MachineInfo;
import io.testbed.gateway.kernel.MachineSpec;
import io.testbed.gateway.run.MachineRun;
import io.testbed.gateway.run.MachineRuns;
import io.testbed.gateway.tlsclient.TlsDownload;
import io.testbed.kernel.api.Counters;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Carries out one run as a {@link MachineRun}: creates a virtual-clock machine (the cell's profile and
 * overrides, {@code sessions.count}, the run's seed), starts the cell's downloads on it through tls-client
 * (each its own simulated thread), waits while {@link MachineRuns} follows them until all ended or the
 * simulated-time bound is passed, reads the machine's stats and deletes the machine, whatever happened.
 */
@Component
class RunExecutor {

    /** The counters a run keeps besides its figures. */
    private static final List<String> KEPT_COUNTERS = List.of(Counters.CONTEXT_SWITCHES, Counters.BOOSTS,
            Counters.NETWORK_POLLS, Counters.TICKS, Counters.HALTED_NS, Counters.PASSES, Counters.RETRANSMITS_REMOTE,
            Counters.NIC_FRAMES_DROPPED, Counters.KEYSTROKES, Counters.ECHOES, Counters.TRACE_HASH, Counters.FS_SYSCALLS,
            Counters.FS_BYTES_READ, Counters.FS_BYTES_WRITTEN, Counters.FS_SECTORS_READ, Counters.FS_SECTORS_WRITTEN,
            Counters.FS_TIME_NS, Counters.CONSOLE_BYTES, Counters.MMAP_BYTES);

    private final MachineRuns runs;
    private final ExperimentProperties properties;
    private final DownloadTimeMetrics timeMetrics;

    RunExecutor(MachineRuns runs, ExperimentProperties properties, DownloadTimeMetrics timeMetrics) {
        this.runs = runs;
        this.properties = properties;
        this.timeMetrics = timeMetrics;
    }

    /** The finished downloads' time splits go to {@code gateway.download.time} (a stopped run's unfinished ones do not). */
    private RunResult published(RunResult result) {
        if (result != null && result.downloads() != null) {
            result.downloads().stream().filter(d -> d.time() != null && !Status.RUNNING.is(d.status()))
                    .forEach(d -> timeMetrics.record(DownloadTimeMetrics.EXPERIMENT, d.time()));
        }
        return result;
    }

    /** What a run ended with. */
    record Outcome(Status status, RunResult result, String error) {
    }

    /** Called once the machine exists, so the run's row can name it before the downloads start. */
    interface Started {
        void machine(String kernel, String machineId);
    }

    Outcome run(String experimentId, ExperimentPlan plan, Cell cell, int repetition, long seed, String kernel,
                Started started) throws InterruptedException {
        long wallStart = System.nanoTime();
        double bound = cell.maxSimulatedSeconds() != null ? cell.maxSimulatedSeconds() : plan.maxSimulatedSeconds();
        MachineRun run = runs.create(kernel, new MachineSpec(cell.machine().profile(), machineOverrides(cell, bound), "virtual", seed,
                ExperimentService.machineNamePrefix(experimentId) + "cell " + cell.index() + " rep " + repetition, experimentId));
        started.machine(kernel, run.machineId());
        try {
            startDownloads(run, plan, cell);
            long wallDeadline = wallStart + properties.runWallTimeout().toNanos();
            End end = MachineRuns.await(runs.follow(run, java.time.Duration.ZERO,
                    java.time.Duration.ofMillis(Math.max(1, properties.pollInterval().toMillis())), r -> check(r, bound, wallDeadline)));
            return outcome(run, cell, end, wallStart);
        } finally {
            run.delete();
        }
    }

    /**
     * The cell's settings, and: simulated time stops at the bound (a run cut off there ends at the same simulated
     * time, however late it is seen); with several downloads they start together at simulated time 0, whenever
     * their clients attach (the run repeats exactly).
     */
    private static Map<String, String> machineOverrides(Cell cell, double bound) {
        Map<String, String> overrides = new TreeMap<>(cell.machine().overrides());
        overrides.putIfAbsent("machine.stop_at_ms", Long.toString((long) Math.ceil(bound * 1000)));
        overrides.put("sessions.count", Integer.toString(cell.sessions()));
        if (cell.downloads() > 1) {
            overrides.putIfAbsent("machine.start_after_threads", Integer.toString(cell.downloads()));
        }
        return overrides;
    }

    private static void startDownloads(MachineRun run, ExperimentPlan plan, Cell cell) {
        String mode = cell.cpu() != null ? cell.cpu() : plan.cpu();
        Map<String, Object> cpu = mode == null ? null : Map.of("mode", mode);
        for (int i = 0; i < cell.downloads(); i++) {
            run.start(cell.repo(), cell.client(), cell.policy().asMap(), cpu);
        }
    }

    /** How a run's polls ended: all downloads ended, the simulated-time bound was passed, or the real-time one. */
    private record End(Kind kind, long nowNs, String why) {
        enum Kind { ENDED, STOPPED, OUT_OF_WALL_TIME }
    }

    /** After each poll: null while a download runs within the bounds. */
    private End check(MachineRun run, double bound, long wallDeadline) {
        if (!run.poll()) {
            return new End(End.Kind.ENDED, 0, null);
        }
        MachineInfo seen = run.machine();
        long now = seen.nowNs();
        if (now > (long) (bound * 1e9) || "held".equals(seen.state())) {
            return new End(End.Kind.STOPPED, now, "stopped at " + seconds(now) + " simulated s (the bound is " + bound
                    + " s): " + run.latest().values().stream().filter(TlsDownload::running).count() + " of "
                    + run.downloadIds().size() + " downloads had not finished");
        }
        if (System.nanoTime() > wallDeadline) {
            return new End(End.Kind.OUT_OF_WALL_TIME, now, null);
        }
        return null;
    }

    private Outcome outcome(MachineRun run, Cell cell, End end, long wallStart) {
        List<String> ids = run.downloadIds();
        Map<String, TlsDownload> latest = run.latest();
        if (end.kind() == End.Kind.OUT_OF_WALL_TIME) {
            KernelStats stats = quietStats(run);
            return new Outcome(Status.FAILED, stats == null ? null : published(figures(cell, ids, latest, stats, wallStart, true)),
                    "still running after " + properties.runWallTimeout() + " of real time (testbed.experiments.run-wall-timeout) at "
                            + seconds(end.nowNs()) + " simulated s");
        }
        boolean stopped = end.kind() == End.Kind.STOPPED;
        RunResult result = published(figures(cell, ids, latest, run.stats(), wallStart, stopped));
        if (stopped) {
            return new Outcome(Status.STOPPED, result, end.why());
        }
        List<String> failures = latest.values().stream().filter(d -> !Status.SUCCEEDED.is(d.status()))
                .map(d -> d.id() + ": " + d.error()).toList();
        return failures.isEmpty() ? new Outcome(Status.SUCCEEDED, result, null)
                : new Outcome(Status.FAILED, result, failures.size() + " of " + ids.size() + " downloads failed: "
                + String.join("; ", failures));
    }

    private static KernelStats quietStats(MachineRun run) {
        try {
            return run.stats();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static RunResult figures(Cell cell, List<String> ids, Map<String, TlsDownload> latest, KernelStats stats,
                             long wallStart, boolean stopped) {
        double machineSeconds = stats.nowNs() / 1e9;
        List<RunResult.DownloadFigures> downloads = downloadFigures(ids, latest, stats);
        RunResult.Io io = io(ids, latest);
        RunResult.Timing timing = timing(downloads, io.bytes(), machineSeconds, stopped, wallStart);
        int completed = (int) downloads.stream().filter(d -> Status.SUCCEEDED.is(d.status())).count();
        return new RunResult(timing, io, cpu(cell, ids, stats), echo(cell, stats.counters()), completed,
                keptCounters(stats.counters()), downloads);
    }

    /** Each download's own figures, in start order (those tls-client reported on). */
    private static List<RunResult.DownloadFigures> downloadFigures(List<String> ids, Map<String, TlsDownload> latest,
                                                                   KernelStats stats) {
        Map<String, TimeSplit> splits = TimeSplit.ofDownloads(ids, stats);
        List<RunResult.DownloadFigures> downloads = new ArrayList<>();
        for (String id : ids) {
            TlsDownload d = latest.get(id);
            if (d != null) {
                downloads.add(new RunResult.DownloadFigures(id, d.status(), d.simulatedNs() == null ? null : d.simulatedNs() / 1e9,
                        nz(d.bytes()), nz(d.wouldBlocks()), nz(d.sleeps()), nz(d.sleepNs()) / 1e9, nz(d.reads()),
                        nz(d.tlsRecords()), d.pack() == null ? null : d.pack().verified(), d.error(), d.fileIo(), splits.get(id)));
            }
        }
        return downloads;
    }

    /** The clients' I/O, all downloads added up (those tls-client reported on). */
    private static RunResult.Io io(List<String> ids, Map<String, TlsDownload> latest) {
        long bytes = 0, wouldBlocks = 0, sleeps = 0, sleepNs = 0, reads = 0, records = 0;
        for (String id : ids) {
            TlsDownload d = latest.get(id);
            if (d != null) {
                bytes += nz(d.bytes());
                wouldBlocks += nz(d.wouldBlocks());
                sleeps += nz(d.sleeps());
                sleepNs += nz(d.sleepNs());
                reads += nz(d.reads());
                records += nz(d.tlsRecords());
            }
        }
        return new RunResult.Io(bytes, wouldBlocks, sleeps, sleepNs / 1e9, reads, records);
    }

    /**
     * The run's times: the makespan (the machine's time for a stopped run or when no download said), the mean of
     * the downloads that ended, and the rates; a download still going when the run was stopped ran for the
     * machine's whole time.
     */
    private static RunResult.Timing timing(List<RunResult.DownloadFigures> downloads, long bytes, double machineSeconds,
                                           boolean stopped, long wallStart) {
        double makespan = 0, sumTime = 0, sumRate = 0;
        int ended = 0;
        for (RunResult.DownloadFigures d : downloads) {
            Double sim = d.simulatedSeconds();
            boolean endedWithTime = !Status.RUNNING.is(d.status()) && d.status() != null && sim != null && sim > 0;
            if (sim != null) {
                makespan = Math.max(makespan, sim);
            }
            if (endedWithTime) {
                ended++;
                sumTime += sim;
            }
            double own = endedWithTime ? sim : machineSeconds;
            sumRate += own > 0 ? d.bytes() / own : 0;
        }
        if (stopped || makespan == 0) {
            makespan = Math.max(makespan, machineSeconds);
        }
        return new RunResult.Timing(makespan, ended == 0 ? null : sumTime / ended, makespan > 0 ? bytes / makespan : 0,
                downloads.isEmpty() ? null : sumRate / downloads.size(), machineSeconds, (System.nanoTime() - wallStart) / 1e9);
    }

    /** The threads' CPU shares: by kind, and each download's thread (named for it, else in creation order). */
    private static RunResult.Cpu cpu(Cell cell, List<String> ids, KernelStats stats) {
        Map<String, Double> shares = new HashMap<>();
        List<Double> downloadShares = new ArrayList<>();
        List<KernelStats.ThreadStat> users = new ArrayList<>();
        for (KernelStats.ThreadStat t : stats.threads()) {
            if ("user".equals(t.kind())) {
                users.add(t);
            } else {
                shares.merge(t.kind(), share(t, stats), Double::sum);
            }
        }
        for (String id : ids) {
            users.stream().filter(t -> TimeSplit.ownedBy(t, id)).findFirst().ifPresent(t -> {
                downloadShares.add(share(t, stats));
                users.remove(t);
            });
        }
        // threads not named for a download: in the order they were created
        users.stream().sorted(java.util.Comparator.comparingInt(KernelStats.ThreadStat::tid))
                .limit(Math.max(0, ids.size() - downloadShares.size()))
                .forEach(t -> downloadShares.add(share(t, stats)));
        return new RunResult.Cpu(shares.get("network"), shares.get("idle"),
                shares.getOrDefault("session", cell.sessions() > 0 ? 0.0 : null), downloadShares, networkSlots(stats));
    }

    private static double share(KernelStats.ThreadStat t, KernelStats stats) {
        return stats.nowNs() > 0 ? (double) t.cpuNs() / stats.nowNs() : 0;
    }

    /** The sessions' echo latencies (ms), null without sessions or echoes. */
    private static RunResult.Echo echo(Cell cell, Map<String, Long> c) {
        boolean echoed = cell.sessions() > 0 && c.getOrDefault(Counters.ECHOES, 0L) > 0;
        return new RunResult.Echo(echoed ? c.getOrDefault(Counters.ECHO_LATENCY_P50_NS, 0L) / 1e6 : null,
                echoed ? c.getOrDefault(Counters.ECHO_LATENCY_P99_NS, 0L) / 1e6 : null,
                echoed ? c.getOrDefault(Counters.ECHO_LATENCY_MAX_NS, 0L) / 1e6 : null, c.getOrDefault(Counters.ECHOES, 0L));
    }

    private static Map<String, Long> keptCounters(Map<String, Long> c) {
        Map<String, Long> kept = new TreeMap<>();
        KEPT_COUNTERS.forEach(k -> {
            if (c.containsKey(k)) {
                kept.put(k, c.get(k));
            }
        });
        return kept;
    }

    private static Double networkSlots(KernelStats stats) {
        long all = stats.threads().stream().mapToLong(KernelStats.ThreadStat::slots).sum();
        long net = stats.threads().stream().filter(t -> "network".equals(t.kind())).mapToLong(KernelStats.ThreadStat::slots).sum();
        return all == 0 ? null : (double) net / all;
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    private static String seconds(long ns) {
        return String.format(java.util.Locale.ROOT, "%.1f", ns / 1e9);
    }
}
