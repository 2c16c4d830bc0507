package io.testbed.gateway.web;

import io.swagger.v3.oas.annotations.media.Schema;
import io.testbed.gateway.download.Download;
import io.testbed.gateway.experiment.TimeSplit;
import io.testbed.gateway.kernel.KernelStats;
import io.testbed.gateway.tlsclient.TlsDownload;
import io.testbed.kernel.api.Counters;

import java.time.Instant;
import java.util.Map;

/**
 * A download as the API shows it. Times are seconds; {@code simulatedSeconds} and the throughput
 * are on the machine's clock (virtual or live), {@code wallSeconds} is real time as tls-client measured it.
 */
@Schema(description = "A download and, once it ended, its figures")
public record DownloadView(
        String id,
        @Schema(allowableValues = {"running", "succeeded", "failed"}) String status,
        String repo,
        String client,
        Map<String, Object> policy,
        String clock,
        String profile,
        Map<String, String> overrides,
        long seed,
        String machineId,
        Instant startedAt,
        Instant finishedAt,
        Long bytes,
        TlsDownload.Pack pack,
        @Schema(description = "First syscall entry to last syscall exit, simulated clock") Double simulatedSeconds,
        @Schema(description = "Real time of the download in tls-client") Double wallSeconds,
        @Schema(description = "bytes / simulatedSeconds") Double throughputBytesPerSecond,
        Long wouldBlocks,
        Long sleeps,
        Double sleepSeconds,
        Long reads,
        Long tlsRecords,
        Double handshakeSeconds,
        String error,
        @Schema(description = "The machine's counters and per-thread CPU at the end") KernelStats kernel,
        @Schema(description = "Client scratch only: its file I/O through the machine's file system and the clone's phases") FileIoView fileIo,
        @Schema(description = "Where its thread's simulated time went (seconds; the parts sum to total), from the machine's"
                + " per-thread accounting at the end; null while running or if the kernel did not say") TimeSplit time) {

    /**
     * What the scratch client did in the machine's file system: its own count of file syscalls and
     * bytes, the simulated time inside them, the machine's sectors ({@code fs_sectors_*} counters, the
     * whole machine: one download per machine the gateway creates), prints and large allocations, and
     * the clone's phases. Seconds are simulated.
     */
    @Schema(description = "The scratch client's file I/O and phases (simulated seconds)")
    public record FileIoView(Long fileSyscalls, Long fileBytesRead, Long fileBytesWritten, Double fsSeconds,
                             Long sectorsRead, Long sectorsWritten, Long consoleWrites, Long consoleBytes, Long mmaps,
                             Long mmapBytes, Long objectsWritten, Long filesCheckedOut, Double downloadSeconds,
                             Double packReadSeconds, Double unpackSeconds, Double checkoutSeconds, Boolean readBackMatches) {

        static FileIoView of(TlsDownload.FileIo f, KernelStats kernel) {
            if (f == null) {
                return null;
            }
            Long sectorsRead = kernel == null ? null : kernel.counters().get(Counters.FS_SECTORS_READ);
            Long sectorsWritten = kernel == null ? null : kernel.counters().get(Counters.FS_SECTORS_WRITTEN);
            return new FileIoView(f.fileSyscalls(), f.fileBytesRead(), f.fileBytesWritten(), seconds(f.fsNs()), sectorsRead,
                    sectorsWritten, f.consoleWrites(), f.consoleBytes(), f.mmaps(), f.mmapBytes(), f.objectsWritten(),
                    f.filesCheckedOut(), seconds(f.downloadNs()), seconds(f.packReadNs()), seconds(f.unpackNs()),
                    seconds(f.checkoutNs()), f.readBackMatches());
        }
    }

    static DownloadView of(Download d) {
        TlsDownload p = d.progress() != null ? d.progress()
                : new TlsDownload(null, null, null, null, null, null, null, null, null, null, null, null, null);
        Double simulated = seconds(p.simulatedNs());
        Double throughput = simulated != null && simulated > 0 && p.bytes() != null ? p.bytes() / simulated : null;
        return new DownloadView(d.id(), d.status().label(), d.spec().repo(), d.spec().client(), d.spec().policy().asMap(),
                d.spec().clock(), d.spec().profile(), d.spec().overrides(), d.spec().seed(), d.machineId(),
                d.startedAt(), d.finishedAt(), p.bytes(), p.pack(), simulated, seconds(p.wallNs()), throughput,
                p.wouldBlocks(), p.sleeps(), seconds(p.sleepNs()), p.reads(), p.tlsRecords(), seconds(p.handshakeNs()),
                d.error(), d.kernel(), FileIoView.of(p.fileIo(), d.kernel()),
                d.kernel() == null || d.tlsClientId() == null ? null : TimeSplit.ofDownload(d.tlsClientId(), d.kernel()));
    }

    private static Double seconds(Long ns) {
        return ns == null ? null : ns / 1e9;
    }
}
