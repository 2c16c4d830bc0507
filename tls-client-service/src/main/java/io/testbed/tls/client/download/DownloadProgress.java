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
    private volatile ProgressSnapshot latest = ProgressSnapshot.NONE;
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
        if (totalPackBytes == latest.bytes() && latest.bytes() > 0) {
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
        ProgressSnapshot s = ProgressSnapshot.of(totalPackBytes, elapsed, instant, average);
        latest = s;
        for (Consumer<ProgressSnapshot> l : listeners) {
            l.accept(s);
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
        return latest;
    }

    public long packBytes() {
        return latest.bytes();
    }

    public double instantBytesPerSecond() {
        return latest.instantBytesPerSecond();
    }

    public double averageBytesPerSecond() {
        return latest.averageBytesPerSecond();
    }
}
