package io.testbed.gateway.experiment;

import io.testbed.kernel.api.Counters;
import java.util.List;

/**
 * The figures of one run: N downloads on one machine. Times are simulated seconds (the machine's
 * virtual clock) unless named wall; CPU shares are a thread's CPU time over the machine's simulated
 * time at the end (the machine stands still once every download has ended, so that is the run's span).
 *
 * @param simulatedSeconds          the longest download (the run's makespan); the bound, for a stopped run
 * @param meanDownloadSeconds       mean simulated time of the downloads that ended
 * @param bytes                     pack bytes received, all downloads
 * @param throughputBytesPerSecond  bytes / simulatedSeconds: what the machine delivered
 * @param perDownloadBytesPerSecond mean over downloads of each one's bytes / its simulated time (the machine's, for one
 *                                  still going when the run was stopped)
 * @param wouldBlocks               EAGAINs seen by the clients, all downloads
 * @param sleeps                    nanosleeps the clients made, all downloads
 * @param sleepSeconds              simulated time the clients spent in nanosleep, all downloads
 * @param reads                     recvfrom calls, all downloads
 * @param tlsRecords                TLS records received, all downloads
 * @param networkCpuShare           CPU share of the network thread (kind {@code network})
 * @param idleCpuShare              CPU share of the boot thread's idle loop (kind {@code idle})
 * @param sessionCpuShare           CPU share of all interactive session threads together
 * @param downloadCpuShares         CPU share of each download's thread, in start order
 * @param echoP50Ms                 median echo latency of the interactive sessions, null without sessions
 * @param echoP99Ms                 99th percentile echo latency, null without sessions
 * @param echoMaxMs                 the longest echo latency, null without sessions
 * @param networkSlotShare          the network thread's share of scheduler turns (its slots over all threads' slots)
 * @param echoes                    keystrokes echoed
 * @param completed                 downloads that succeeded (pack verified)
 * @param machineSeconds            the machine's simulated clock when the stats were read
 * @param wallSeconds               real time of the run, machine creation to deletion
 * @param counters                  a few machine counters: context_switches, boosts, network_polls, ticks, halted_ns,
 *                                  and the file system's fs_syscalls, fs_bytes_*, fs_sectors_*, fs_time_ns, console_bytes, mmap_bytes
 * @param downloads                 each download's own figures
 */
public record RunResult(double simulatedSeconds, Double meanDownloadSeconds, long bytes, double throughputBytesPerSecond,
                        Double perDownloadBytesPerSecond, long wouldBlocks, long sleeps, double sleepSeconds, long reads,
                        long tlsRecords, Double networkCpuShare, Double idleCpuShare, Double sessionCpuShare,
                        List<Double> downloadCpuShares, Double echoP50Ms, Double echoP99Ms, Double echoMaxMs,
                        Double networkSlotShare, long echoes, int completed,
                        double machineSeconds, double wallSeconds, java.util.Map<String, Long> counters,
                        List<DownloadFigures> downloads) {

    /** Mean CPU share of the download threads, null if none was seen. */
    public Double downloadCpuShareMean() {
        return downloadCpuShares.isEmpty() ? null
                : downloadCpuShares.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    public Double downloadCpuShareMin() {
        return downloadCpuShares.stream().mapToDouble(Double::doubleValue).min().stream().boxed().findFirst().orElse(null);
    }

    public Double downloadCpuShareMax() {
        return downloadCpuShares.stream().mapToDouble(Double::doubleValue).max().stream().boxed().findFirst().orElse(null);
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
        return typed == null ? null : Math.max(0, typed - echoes);
    }

    /** Share of keystrokes never echoed, null without keystrokes. */
    public Double echoLoss() {
        Long typed = counter(Counters.KEYSTROKES);
        return typed == null || typed == 0 ? null : (double) Math.max(0, typed - echoes) / typed;
    }

    /** A kept machine counter, null if the machine did not report it. */
    public Long counter(String name) {
        return counters == null ? null : counters.get(name);
    }
}
