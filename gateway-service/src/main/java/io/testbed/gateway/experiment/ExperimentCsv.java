package io.testbed.gateway.experiment;

import io.testbed.kernel.api.Counters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /api/experiments/{id}/results.csv}: one row per run, RFC 4180 quoting, the columns in
 * {@link #COLUMNS} (documented in gateway-service/README.md). Empty cells are figures the run does not
 * have (no sessions: no echo latency; a run that failed before its machine could be read: nothing).
 */
public final class ExperimentCsv {

    public static final List<String> COLUMNS = java.util.stream.Stream.concat(java.util.stream.Stream.of("experiment_id", "run_id", "cell", "cell_label", "group",
            "repetition", "seed", "kernel", "machine_id", "repo", "client", "policy", "profile", "overrides", "downloads",
            "sessions", "status", "simulated_s", "mean_download_s", "bytes", "throughput_Bps", "per_download_Bps",
            "would_blocks", "sleeps", "sleep_s", "reads", "tls_records", "network_cpu_share", "idle_cpu_share",
            "session_cpu_share", "download_cpu_share_mean", "download_cpu_share_min", "download_cpu_share_max",
            "echo_p50_ms", "echo_p99_ms", "completed_downloads", "machine_s", "wall_s", "error",
            "fs_syscalls", "fs_bytes_read", "fs_bytes_written", "fs_sectors_read", "fs_sectors_written", "fs_s",
            "console_bytes", "mmap_bytes", "scratch_download_s", "scratch_pack_read_s", "scratch_unpack_s",
            "scratch_checkout_s", "keystrokes", "unechoed", "echo_loss"), TimeSplit.COLUMNS.stream()).toList();

    /**
     * Echo loss beside the percentiles (keystrokes typed, never echoed, their share) and where the downloads'
     * time went (the mean over the run's downloads of each part, simulated seconds; {@link TimeSplit}).
     */
    private static List<Object> lossAndTime(RunResult x) {
        List<Object> v = new ArrayList<>();
        v.add(x == null ? null : x.counter(Counters.KEYSTROKES));
        v.add(x == null ? null : x.unechoed());
        v.add(x == null ? null : x.echoLoss());
        TimeSplit t = x == null ? null : x.meanTimeSplit();
        if (t == null) {
            for (int i = 0; i < TimeSplit.COLUMNS.size(); i++) {
                v.add(null);
            }
        } else {
            for (double d : t.values()) {
                v.add(d);
            }
        }
        return v;
    }

    /** The file-system columns (machine counters) and the scratch client's mean phase times. */
    private static List<Object> fileColumns(RunResult x) {
        List<Object> v = new ArrayList<>();
        if (x == null) {
            for (int i = 0; i < 12; i++) {
                v.add(null);
            }
            return v;
        }
        for (String c : List.of(Counters.FS_SYSCALLS, Counters.FS_BYTES_READ, Counters.FS_BYTES_WRITTEN, Counters.FS_SECTORS_READ, Counters.FS_SECTORS_WRITTEN)) {
            v.add(x.counter(c));
        }
        Long fsNs = x.counter(Counters.FS_TIME_NS);
        v.add(fsNs == null ? null : fsNs / 1e9);
        v.add(x.counter(Counters.CONSOLE_BYTES));
        v.add(x.counter(Counters.MMAP_BYTES));
        v.add(x.meanPhaseSeconds(io.testbed.gateway.tlsclient.TlsDownload.FileIo::downloadNs));
        v.add(x.meanPhaseSeconds(io.testbed.gateway.tlsclient.TlsDownload.FileIo::packReadNs));
        v.add(x.meanPhaseSeconds(io.testbed.gateway.tlsclient.TlsDownload.FileIo::unpackNs));
        v.add(x.meanPhaseSeconds(io.testbed.gateway.tlsclient.TlsDownload.FileIo::checkoutNs));
        return v;
    }

    private ExperimentCsv() {
    }

    public static String of(ExperimentView e) {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (ExperimentView.CellView c : e.cells()) {
            for (ExperimentView.RunView r : c.runs()) {
                RunResult x = r.result();
                List<Object> v = new ArrayList<>(List.of(e.id(), r.id(), c.index(), c.label(), c.group(), r.repetition(),
                        r.seed()));
                v.add(r.kernel());
                v.add(r.machineId());
                v.addAll(List.of(c.repo(), c.client(), c.policyLabel(), c.profile(), overrides(c.overrides()), c.downloads(),
                        c.sessions(), r.status()));
                if (x == null) {
                    for (int i = 0; i < 20; i++) {
                        v.add(null);
                    }
                } else {
                    v.add(x.timing().simulatedSeconds());
                    v.add(x.timing().meanDownloadSeconds());
                    v.add(x.io().bytes());
                    v.add(x.timing().throughputBytesPerSecond());
                    v.add(x.timing().perDownloadBytesPerSecond());
                    v.add(x.io().wouldBlocks());
                    v.add(x.io().sleeps());
                    v.add(x.io().sleepSeconds());
                    v.add(x.io().reads());
                    v.add(x.io().tlsRecords());
                    v.add(x.cpu().networkCpuShare());
                    v.add(x.cpu().idleCpuShare());
                    v.add(x.cpu().sessionCpuShare());
                    v.add(x.downloadCpuShareMean());
                    v.add(x.downloadCpuShareMin());
                    v.add(x.downloadCpuShareMax());
                    v.add(x.echo().p50Ms());
                    v.add(x.echo().p99Ms());
                    v.add(x.completed());
                    v.add(x.timing().machineSeconds());
                }
                v.add(x == null ? null : x.timing().wallSeconds());
                v.add(r.error());
                v.addAll(fileColumns(x));
                v.addAll(lossAndTime(x));
                b.append(v.stream().map(ExperimentCsv::cell).collect(Collectors.joining(","))).append("\r\n");
            }
        }
        return b.toString();
    }

    private static String overrides(Map<String, String> o) {
        return o.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String cell(Object o) {
        if (o == null) {
            return "";
        }
        String s;
        if (o instanceof Double d) {
            // six significant digits, plain notation, no trailing zeros
            s = d.isNaN() || d.isInfinite() ? "" : new java.math.BigDecimal(d).round(new java.math.MathContext(6))
                    .stripTrailingZeros().toPlainString();
        } else {
            s = o.toString();
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
