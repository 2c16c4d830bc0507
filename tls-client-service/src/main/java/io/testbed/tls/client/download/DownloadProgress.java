package io.testbed.tls.client.download;

import io.testbed.tls.client.transport.IoStats;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The latest progress figures of a running download, as scratch prints them every 64 KiB:
 * pack bytes so far, the instantaneous speed over the last step and the average since the
 * download's first syscall, both in bytes per simulated second (the kernel's clock, read from the
 * last syscall's exit time: the client makes no extra syscall to know the time). Listeners (the
 * server-sent events) are told each new report on the download's thread and must not block.
 */
public final class DownloadProgress {
    private final IoStats stats;
    private final List<Consumer<ProgressSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile Report latest = Report.NONE;
    private long lastBytes;
    private long lastNs = -1;
    private double instant;
    private long counted;

    public DownloadProgress(IoStats stats) {
        this.stats = stats;
    }

    /** Called by the fetch (single writer) with the pack bytes received so far. */
    void update(long totalPackBytes) {
        long now = stats.lastExitNs();
        long first = stats.firstEntryNs();
        if (totalPackBytes == latest.bytes && latest.bytes > 0) {
            return; // the final report repeats the last one
        }
        if (lastNs < 0) {
            lastNs = first;
        }
        countPackBytes(totalPackBytes);
        if (now > lastNs && totalPackBytes > lastBytes) {
            instant = (totalPackBytes - lastBytes) * 1e9 / (now - lastNs);
            lastBytes = totalPackBytes;
            lastNs = now;
            stats.listener().throughput(instant);
        }
        long elapsed = now > first ? now - first : 0;
        double average = elapsed > 0 ? totalPackBytes * 1e9 / elapsed : 0;
        Report r = new Report(totalPackBytes, elapsed, instant, average);
        latest = r;
        if (!listeners.isEmpty()) {
            ProgressSnapshot s = r.snapshot();
            for (Consumer<ProgressSnapshot> l : listeners) {
                l.accept(s);
            }
        }
    }

    /**
     * Called once when the download ends (succeeded or failed) with its pack bytes: counts those not
     * yet reported by a progress step, so the live counter ends at the download's total.
     */
    void settle(long totalPackBytes) {
        countPackBytes(totalPackBytes);
    }

    private void countPackBytes(long total) {
        if (total > counted) {
            stats.listener().packBytes(total - counted);
            counted = total;
        }
    }

    public void addListener(Consumer<ProgressSnapshot> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<ProgressSnapshot> listener) {
        listeners.remove(listener);
    }

    public IoStats stats() {
        return stats;
    }

    public ProgressSnapshot latest() {
        return latest.snapshot();
    }

    public long packBytes() {
        return latest.bytes;
    }

    public double instantBytesPerSecond() {
        return latest.instant;
    }

    public double averageBytesPerSecond() {
        return latest.average;
    }

    /**
     * One report's figures; its {@link ProgressSnapshot}, whose text costs more than the rest of a step, is made
     * when someone asks (a listener, a poll), so a download nobody watches never formats one (issue 19).
     */
    private static final class Report {
        static final Report NONE = new Report(ProgressSnapshot.NONE);

        final long bytes;
        final long simulatedNs;
        final double instant;
        final double average;
        /** Made at most once per reader racing for it; a record of final fields, so safe to hand over without a lock. */
        private ProgressSnapshot snapshot;

        Report(long bytes, long simulatedNs, double instant, double average) {
            this.bytes = bytes;
            this.simulatedNs = simulatedNs;
            this.instant = instant;
            this.average = average;
        }

        private Report(ProgressSnapshot s) {
            this(s.bytes(), s.simulatedNs(), s.instantBytesPerSecond(), s.averageBytesPerSecond());
            this.snapshot = s;
        }

        ProgressSnapshot snapshot() {
            ProgressSnapshot s = snapshot;
            if (s == null) {
                s = ProgressSnapshot.of(bytes, simulatedNs, instant, average);
                snapshot = s;
            }
            return s;
        }
    }
}
