package io.testbed.gateway.experiment;

import io.testbed.gateway.kernel.KernelStats;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineInfo;
import io.testbed.gateway.kernel.MachineSpec;
import io.testbed.gateway.tlsclient.StartRequest;
import io.testbed.gateway.tlsclient.TlsClient;
import io.testbed.gateway.tlsclient.TlsDownload;
import io.testbed.kernel.api.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Carries out one run: creates a virtual-clock machine (the cell's profile and overrides,
 * {@code sessions.count}, the run's seed), starts the cell's downloads on it through tls-client (each
 * its own simulated thread), follows them until all ended or the simulated-time bound is passed, reads
 * the machine's stats and deletes the machine, whatever happened.
 */
@Component
class RunExecutor {

    private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);

    /** The counters a run keeps besides its figures. */
    private static final List<String> KEPT_COUNTERS = List.of(Counters.CONTEXT_SWITCHES, Counters.BOOSTS,
            Counters.NETWORK_POLLS, Counters.TICKS, Counters.HALTED_NS, Counters.PASSES, Counters.RETRANSMITS_REMOTE,
            Counters.NIC_FRAMES_DROPPED, Counters.KEYSTROKES, Counters.ECHOES, Counters.TRACE_HASH, Counters.FS_SYSCALLS,
            Counters.FS_BYTES_READ, Counters.FS_BYTES_WRITTEN, Counters.FS_SECTORS_READ, Counters.FS_SECTORS_WRITTEN,
            Counters.FS_TIME_NS, Counters.CONSOLE_BYTES, Counters.MMAP_BYTES);

    private final MachineAdminClient machines;
    private final TlsClient tlsClient;
    private final ExperimentProperties properties;
    private final DownloadTimeMetrics timeMetrics;

    RunExecutor(MachineAdminClient machines, TlsClient tlsClient, ExperimentProperties properties, DownloadTimeMetrics timeMetrics) {
        this.machines = machines;
        this.tlsClient = tlsClient;
        this.properties = properties;
        this.timeMetrics = timeMetrics;
    }

    /** The finished downloads' time splits go to {@code gateway.download.time} (a stopped run's unfinished ones do not). */
    private RunResult published(RunResult result) {
        if (result != null && result.downloads() != null) {
            result.downloads().stream().filter(d -> d.time() != null && !"running".equals(d.status()))
                    .forEach(d -> timeMetrics.record(DownloadTimeMetrics.EXPERIMENT, d.time()));
        }
        return result;
    }

    /** What a run ended with. */
    record Outcome(String status, RunResult result, String error) {
    }

    /** Called once the machine exists, so the run's row can name it before the downloads start. */
    interface Started {
        void machine(String kernel, String machineId);
    }

    Outcome run(String experimentId, ExperimentPlan plan, Cell cell, int repetition, long seed, String kernel,
                Started started) throws InterruptedException {
        long wallStart = System.nanoTime();
        double bound = cell.maxSimulatedSeconds() != null ? cell.maxSimulatedSeconds() : plan.maxSimulatedSeconds();
        long boundNs = (long) (bound * 1e9);
        Map<String, String> overrides = new TreeMap<>(cell.machine().overrides());
        // simulated time stops at the bound: a run cut off there ends at the same simulated time, however late it is seen
        overrides.putIfAbsent("machine.stop_at_ms", Long.toString((long) Math.ceil(bound * 1000)));
        overrides.put("sessions.count", Integer.toString(cell.sessions()));
        if (cell.downloads() > 1) {
            // the downloads start together at simulated time 0, whenever their clients attach: the run repeats exactly
            overrides.putIfAbsent("machine.start_after_threads", Integer.toString(cell.downloads()));
        }
        MachineInfo machine = machines.create(kernel, new MachineSpec(cell.machine().profile(), overrides, "virtual", seed,
                ExperimentService.machineNamePrefix(experimentId) + "cell " + cell.index() + " rep " + repetition));
        started.machine(kernel, machine.id());
        List<String> ids = new ArrayList<>();
        try {
            String mode = cell.cpu() != null ? cell.cpu() : plan.cpu();
            Map<String, Object> cpu = mode == null ? null : Map.of("mode", mode);
            for (int i = 0; i < cell.downloads(); i++) {
                ids.add(tlsClient.start(new StartRequest(kernel, machine.id(), cell.repo(), cell.client(),
                        cell.policy().asMap(), "ca", cpu)));
            }
            Map<String, TlsDownload> latest = new LinkedHashMap<>();
            long wallDeadline = wallStart + properties.runWallTimeout().toNanos();
            String stoppedBecause = null;
            while (true) {
                boolean running = false;
                for (String id : ids) {
                    TlsDownload d = tlsClient.status(id);
                    latest.put(id, d);
                    running |= d.running();
                }
                if (!running) {
                    break;
                }
                MachineInfo seen = machines.get(kernel, machine.id());
                long now = seen.nowNs();
                if (now > boundNs || "held".equals(seen.state())) {
                    stoppedBecause = "stopped at " + seconds(now) + " simulated s (the bound is " + bound
                            + " s): " + latest.values().stream().filter(TlsDownload::running).count() + " of " + ids.size()
                            + " downloads had not finished";
                    break;
                }
                if (System.nanoTime() > wallDeadline) {
                    KernelStats stats = quietStats(kernel, machine.id());
                    return new Outcome(RunStatus.FAILED, stats == null ? null : published(figures(cell, ids, latest, stats, wallStart, true)),
                            "still running after " + properties.runWallTimeout() + " of real time (testbed.experiments.run-wall-timeout) at "
                                    + seconds(now) + " simulated s");
                }
                Thread.sleep(Math.max(1, properties.pollInterval().toMillis()));
            }
            KernelStats stats = machines.stats(kernel, machine.id());
            RunResult result = published(figures(cell, ids, latest, stats, wallStart, stoppedBecause != null));
            if (stoppedBecause != null) {
                return new Outcome(RunStatus.STOPPED, result, stoppedBecause);
            }
            List<String> failures = latest.values().stream().filter(d -> !"succeeded".equals(d.status()))
                    .map(d -> d.id() + ": " + d.error()).toList();
            return failures.isEmpty() ? new Outcome(RunStatus.SUCCEEDED, result, null)
                    : new Outcome(RunStatus.FAILED, result, failures.size() + " of " + ids.size() + " downloads failed: "
                    + String.join("; ", failures));
        } finally {
            try {
                machines.delete(kernel, machine.id());
            } catch (RuntimeException e) {
                log.warn("could not delete machine {} on kernel {}: {}", machine.id(), kernel, e.getMessage());
            }
        }
    }

    private KernelStats quietStats(String kernel, String machineId) {
        try {
            return machines.stats(kernel, machineId);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static RunResult figures(Cell cell, List<String> ids, Map<String, TlsDownload> latest, KernelStats stats,
                             long wallStart, boolean stopped) {
        double machineSeconds = stats.nowNs() / 1e9;
        List<RunResult.DownloadFigures> downloads = new ArrayList<>();
        long bytes = 0, wouldBlocks = 0, sleeps = 0, sleepNs = 0, reads = 0, records = 0;
        double makespan = 0;
        double sumTime = 0, sumRate = 0;
        int ended = 0, completed = 0, rated = 0;
        Map<String, TimeSplit> splits = TimeSplit.ofDownloads(ids, stats);
        for (String id : ids) {
            TlsDownload d = latest.get(id);
            if (d == null) {
                continue;
            }
            Double sim = d.simulatedNs() == null ? null : d.simulatedNs() / 1e9;
            long b = nz(d.bytes());
            downloads.add(new RunResult.DownloadFigures(id, d.status(), sim, b, nz(d.wouldBlocks()), nz(d.sleeps()),
                    nz(d.sleepNs()) / 1e9, nz(d.reads()), nz(d.tlsRecords()), d.pack() == null ? null : d.pack().verified(),
                    d.error(), d.fileIo(), splits.get(id)));
            bytes += b;
            wouldBlocks += nz(d.wouldBlocks());
            sleeps += nz(d.sleeps());
            sleepNs += nz(d.sleepNs());
            reads += nz(d.reads());
            records += nz(d.tlsRecords());
            if (sim != null) {
                makespan = Math.max(makespan, sim);
            }
            if (!d.running() && sim != null && sim > 0) {
                ended++;
                sumTime += sim;
            }
            // a download still going when the run was stopped ran for the machine's whole time
            double own = !d.running() && sim != null && sim > 0 ? sim : machineSeconds;
            rated++;
            sumRate += own > 0 ? b / own : 0;
            if ("succeeded".equals(d.status())) {
                completed++;
            }
        }
        if (stopped || makespan == 0) {
            makespan = Math.max(makespan, machineSeconds);
        }
        Map<String, Double> shares = new HashMap<>();
        List<Double> downloadShares = new ArrayList<>();
        List<KernelStats.ThreadStat> users = new ArrayList<>();
        for (KernelStats.ThreadStat t : stats.threads()) {
            double share = stats.nowNs() > 0 ? (double) t.cpuNs() / stats.nowNs() : 0;
            switch (t.kind()) {
                case "user" -> users.add(t);
                default -> shares.merge(t.kind(), share, Double::sum);
            }
        }
        for (String id : ids) {
            users.stream().filter(t -> t.name() != null && t.name().contains(TlsClient.localId(id))).findFirst().ifPresent(t -> {
                downloadShares.add(stats.nowNs() > 0 ? (double) t.cpuNs() / stats.nowNs() : 0);
                users.remove(t);
            });
        }
        // threads whose name does not carry tls-client's id: in the order they were created
        users.stream().sorted(java.util.Comparator.comparingInt(KernelStats.ThreadStat::tid))
                .limit(Math.max(0, ids.size() - downloadShares.size()))
                .forEach(t -> downloadShares.add(stats.nowNs() > 0 ? (double) t.cpuNs() / stats.nowNs() : 0));
        Map<String, Long> c = stats.counters();
        boolean echoed = cell.sessions() > 0 && c.getOrDefault(Counters.ECHOES, 0L) > 0;
        Map<String, Long> kept = new TreeMap<>();
        KEPT_COUNTERS.forEach(k -> {
            if (c.containsKey(k)) {
                kept.put(k, c.get(k));
            }
        });
        return new RunResult(makespan, ended == 0 ? null : sumTime / ended, bytes, makespan > 0 ? bytes / makespan : 0,
                rated == 0 ? null : sumRate / rated, wouldBlocks, sleeps, sleepNs / 1e9, reads, records,
                shares.get("network"), shares.get("idle"), shares.getOrDefault("session", cell.sessions() > 0 ? 0.0 : null),
                downloadShares, echoed ? c.getOrDefault(Counters.ECHO_LATENCY_P50_NS, 0L) / 1e6 : null,
                echoed ? c.getOrDefault(Counters.ECHO_LATENCY_P99_NS, 0L) / 1e6 : null,
                echoed ? c.getOrDefault(Counters.ECHO_LATENCY_MAX_NS, 0L) / 1e6 : null, networkSlots(stats), c.getOrDefault(Counters.ECHOES, 0L), completed,
                machineSeconds, (System.nanoTime() - wallStart) / 1e9, kept, downloads);
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
