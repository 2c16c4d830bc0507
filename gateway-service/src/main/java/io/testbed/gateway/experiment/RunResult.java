package io.testbed.gateway.experiment;

import io.testbed.kernel.api.Counters;
import java.util.List;

/**
 * The figures of one run: N downloads on one machine, in groups. Times are simulated seconds (the machine's
 * virtual clock) unless named wall; CPU shares are a thread's CPU time over the machine's simulated
 * time at the end (the machine stands still once every download has ended, so that is the run's span).
 * As JSON (the REST API and the {@code runs.result} column) the groups' fields are flat, under the same names
 * ({@link Json}).
 *
 * @param timing    how long the downloads and the run took
 * @param io        what the clients received and how they waited for it, all downloads
 * @param cpu       the threads' shares of the simulated CPU
 * @param echo      the interactive sessions' echo latencies
 * @param completed downloads that succeeded (pack verified)
 * @param counters  a few machine counters: context_switches, boosts, network_polls, ticks, halted_ns,
 *                  and the file system's fs_syscalls, fs_bytes_*, fs_sectors_*, fs_time_ns, console_bytes, mmap_bytes
 * @param downloads each download's own figures
 */
public record RunResult(Timing timing, Io io, Cpu cpu, Echo echo, int completed, java.util.Map<String, Long> counters,
                        List<DownloadFigures> downloads) {

    /**
     * How long it took.
     *
     * @param simulatedSeconds          the longest download (the run's makespan); the bound, for a stopped run
     * @param meanDownloadSeconds       mean simulated time of the downloads that ended
     * @param throughputBytesPerSecond  bytes / simulatedSeconds: what the machine delivered
     * @param perDownloadBytesPerSecond mean over downloads of each one's bytes / its simulated time (the machine's, for
     *                                  one still going when the run was stopped)
     * @param machineSeconds            the machine's simulated clock when the stats were read
     * @param wallSeconds               real time of the run, machine creation to deletion
     */
    public record Timing(double simulatedSeconds, Double meanDownloadSeconds, double throughputBytesPerSecond,
                         Double perDownloadBytesPerSecond, double machineSeconds, double wallSeconds) {
    }

    /**
     * The clients' I/O, all downloads.
     *
     * @param bytes        pack bytes received
     * @param wouldBlocks  EAGAINs seen by the clients
     * @param sleeps       nanosleeps the clients made
     * @param sleepSeconds simulated time the clients spent in nanosleep
     * @param reads        recvfrom calls
     * @param tlsRecords   TLS records received
     */
    public record Io(long bytes, long wouldBlocks, long sleeps, double sleepSeconds, long reads, long tlsRecords) {
    }

    /**
     * Shares of the simulated CPU.
     *
     * @param networkCpuShare   CPU share of the network thread (kind {@code network})
     * @param idleCpuShare      CPU share of the boot thread's idle loop (kind {@code idle})
     * @param sessionCpuShare   CPU share of all interactive session threads together
     * @param downloadCpuShares CPU share of each download's thread, in start order
     * @param networkSlotShare  the network thread's share of scheduler turns (its slots over all threads' slots)
     */
    public record Cpu(Double networkCpuShare, Double idleCpuShare, Double sessionCpuShare, List<Double> downloadCpuShares,
                      Double networkSlotShare) {
    }

    /**
     * The interactive sessions' echoes.
     *
     * @param p50Ms  median echo latency, null without sessions
     * @param p99Ms  99th percentile echo latency, null without sessions
     * @param maxMs  the longest echo latency, null without sessions
     * @param echoes keystrokes echoed
     */
    public record Echo(Double p50Ms, Double p99Ms, Double maxMs, long echoes) {
    }

    /**
     * A run's figures as JSON: the groups' fields flat, as they always were (the REST API's run {@code result}, the
     * {@code runs.result} column, the committed report).
     */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"simulatedSeconds", "meanDownloadSeconds", "bytes",
            "throughputBytesPerSecond", "perDownloadBytesPerSecond", "wouldBlocks", "sleeps", "sleepSeconds", "reads",
            "tlsRecords", "networkCpuShare", "idleCpuShare", "sessionCpuShare", "downloadCpuShares", "echoP50Ms", "echoP99Ms",
            "echoMaxMs", "networkSlotShare", "echoes", "completed", "machineSeconds", "wallSeconds", "counters", "downloads"})
    record Json(double simulatedSeconds, Double meanDownloadSeconds, long bytes, double throughputBytesPerSecond,
                Double perDownloadBytesPerSecond, long wouldBlocks, long sleeps, double sleepSeconds, long reads,
                long tlsRecords, Double networkCpuShare, Double idleCpuShare, Double sessionCpuShare,
                List<Double> downloadCpuShares, Double echoP50Ms, Double echoP99Ms, Double echoMaxMs,
                Double networkSlotShare, long echoes, int completed, double machineSeconds, double wallSeconds,
                java.util.Map<String, Long> counters, List<DownloadFigures> downloads) {
    }

    @com.fasterxml.jackson.annotation.JsonValue
    Json json() {
        return new Json(timing.simulatedSeconds(), timing.meanDownloadSeconds(), io.bytes(), timing.throughputBytesPerSecond(),
                timing.perDownloadBytesPerSecond(), io.wouldBlocks(), io.sleeps(), io.sleepSeconds(), io.reads(), io.tlsRecords(),
                cpu.networkCpuShare(), cpu.idleCpuShare(), cpu.sessionCpuShare(), cpu.downloadCpuShares(), echo.p50Ms(),
                echo.p99Ms(), echo.maxMs(), cpu.networkSlotShare(), echo.echoes(), completed, timing.machineSeconds(),
                timing.wallSeconds(), counters, downloads);
    }

    @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
    static RunResult of(Json j) {
        return new RunResult(new Timing(j.simulatedSeconds(), j.meanDownloadSeconds(), j.throughputBytesPerSecond(),
                j.perDownloadBytesPerSecond(), j.machineSeconds(), j.wallSeconds()),
                new Io(j.bytes(), j.wouldBlocks(), j.sleeps(), j.sleepSeconds(), j.reads(), j.tlsRecords()),
                new Cpu(j.networkCpuShare(), j.idleCpuShare(), j.sessionCpuShare(),
                        j.downloadCpuShares(), j.networkSlotShare()),
                new Echo(j.echoP50Ms(), j.echoP99Ms(), j.echoMaxMs(), j.echoes()), j.completed(), j.counters(), j.downloads());
    }

    /** Mean CPU share of the download threads, null if none was seen. */
    public Double downloadCpuShareMean() {
        return cpu.downloadCpuShares().isEmpty() ? null
                : cpu.downloadCpuShares().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    public Double downloadCpuShareMin() {
        return cpu.downloadCpuShares().stream().mapToDouble(Double::doubleValue).min().stream().boxed().findFirst().orElse(null);
    }

    public Double downloadCpuShareMax() {
        return cpu.downloadCpuShares().stream().mapToDouble(Double::doubleValue).max().stream().boxed().findFirst().orElse(null);
    }

    /**
     * One download of a run, as tls-client reported it.
     *
     * @param tlsClientId  tls-client's id
     * @param status       succeeded, failed, or running (when the run was stopped)
     * @param simulatedSeconds first syscall to last, simulated
     * @param bytes        pack bytes
     * @param wouldBlocks  EAGAINs
     * @param sleeps       nanosleeps
     * @param sleepSeconds simulated time in nanosleep
     * @param reads        recvfrom calls
     * @param tlsRecords   TLS records received
     * @param verified     whether the pack was verified object by object
     * @param error        why it failed
     * @param fileIo       the scratch client's file I/O, null for other clients
     * @param time         where its thread's simulated time went, null if the kernel did not say
     */
    public record DownloadFigures(String tlsClientId, String status, Double simulatedSeconds, long bytes, long wouldBlocks,
                                  long sleeps, double sleepSeconds, long reads, long tlsRecords, Boolean verified,
                                  String error, io.testbed.gateway.tlsclient.TlsDownload.FileIo fileIo, TimeSplit time) {

        public DownloadFigures(String tlsClientId, String status, Double simulatedSeconds, long bytes, long wouldBlocks,
                               long sleeps, double sleepSeconds, long reads, long tlsRecords, Boolean verified,
                               String error, io.testbed.gateway.tlsclient.TlsDownload.FileIo fileIo) {
            this(tlsClientId, status, simulatedSeconds, bytes, wouldBlocks, sleeps, sleepSeconds, reads, tlsRecords,
                    verified, error, fileIo, null);
        }

        public DownloadFigures(String tlsClientId, String status, Double simulatedSeconds, long bytes, long wouldBlocks,
                               long sleeps, double sleepSeconds, long reads, long tlsRecords, Boolean verified,
                               String error) {
            this(tlsClientId, status, simulatedSeconds, bytes, wouldBlocks, sleeps, sleepSeconds, reads, tlsRecords,
                    verified, error, null);
        }
    }

    /**
     * Mean over the downloads that reported file I/O (client scratch) of one of its phase times, in
     * simulated seconds; null if none did.
     */
    public Double meanPhaseSeconds(java.util.function.Function<io.testbed.gateway.tlsclient.TlsDownload.FileIo, Long> phase) {
        return downloads == null ? null : downloads.stream().filter(d -> d.fileIo() != null && phase.apply(d.fileIo()) != null)
                .mapToDouble(d -> phase.apply(d.fileIo()) / 1e9).average().stream().boxed().findFirst().orElse(null);
    }

    /** The mean time split of the downloads that have one, null if none has. */
    public TimeSplit meanTimeSplit() {
        return downloads == null ? null : TimeSplit.mean(downloads.stream().map(DownloadFigures::time)
                .filter(java.util.Objects::nonNull).toList());
    }

    /** Keystrokes typed and not echoed by the end of the run; null without sessions. */
    public Long unechoed() {
        Long typed = counter(Counters.KEYSTROKES);
        return typed == null ? null : Math.max(0, typed - echo.echoes());
    }

    /** Share of keystrokes never echoed, null without keystrokes. */
    public Double echoLoss() {
        Long typed = counter(Counters.KEYSTROKES);
        return typed == null || typed == 0 ? null : (double) Math.max(0, typed - echo.echoes()) / typed;
    }

    /** A kept machine counter, null if the machine did not report it. */
    public Long counter(String name) {
        return counters == null ? null : counters.get(name);
    }
}
