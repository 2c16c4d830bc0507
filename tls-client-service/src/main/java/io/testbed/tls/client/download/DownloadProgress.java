package io.testbed.tls.client.download;

import io.testbed.tls.client.transport.IoStats;

/**
 * The latest progress figures of a running download, as scratch prints them every 64 KiB:
 * pack bytes so far, the instantaneous speed over the last step and the average since the
 * download's first syscall, both in bytes per simulated second (the kernel's clock, read from the
 * last syscall's exit time: the client makes no extra syscall to know the time).
 */
public final class DownloadProgress {
    private final IoStats stats;
    private volatile long packBytes;
    private volatile double instantBytesPerSecond;
    private volatile double averageBytesPerSecond;
    private long lastBytes;
    private long lastNs = -1;

    public DownloadProgress(IoStats stats) {
        this.stats = stats;
    }

    /** Called by the fetch (single writer) with the pack bytes received so far. */
    void update(long totalPackBytes) {
        long now = stats.lastExitNs();
        long first = stats.firstEntryNs();
        if (lastNs < 0) {
            lastNs = first;
        }
        if (now > lastNs && totalPackBytes > lastBytes) {
            instantBytesPerSecond = (totalPackBytes - lastBytes) * 1e9 / (now - lastNs);
            lastBytes = totalPackBytes;
            lastNs = now;
        }
        if (now > first) {
            averageBytesPerSecond = totalPackBytes * 1e9 / (now - first);
        }
        packBytes = totalPackBytes;
    }

    public IoStats stats() {
        return stats;
    }

    public long packBytes() {
        return packBytes;
    }

    public double instantBytesPerSecond() {
        return instantBytesPerSecond;
    }

    public double averageBytesPerSecond() {
        return averageBytesPerSecond;
    }
}
