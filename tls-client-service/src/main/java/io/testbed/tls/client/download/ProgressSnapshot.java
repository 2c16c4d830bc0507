package io.testbed.tls.client.download;

import java.util.Locale;

/**
 * One progress report, as scratch prints one every 64 KiB, in correctly named units (Akuma printed
 * KiB/s and called it kbps): speeds are bytes per simulated second, and the same in KiB (1024 bytes)
 * per simulated second.
 *
 * @param bytes                 pack bytes received so far
 * @param simulatedNs           simulated time since the download's first syscall
 * @param instantBytesPerSecond over the last step (since the previous report)
 * @param averageBytesPerSecond since the download's first syscall
 * @param text                  the same for a person: "1024 KiB in 2.150 s: 512.0 KiB/s now, 476.3 KiB/s average (simulated time)"
 */
public record ProgressSnapshot(long bytes, long simulatedNs, double instantBytesPerSecond, double averageBytesPerSecond,
                               double instantKiBPerSecond, double averageKiBPerSecond, String text) {

    public static final ProgressSnapshot NONE = of(0, 0, 0, 0);

    static ProgressSnapshot of(long bytes, long simulatedNs, double instant, double average) {
        // Locale.US formats these exactly as Locale.ROOT ('0' digits, '.' separator, no grouping) without looking
        // the locale's symbols up for every number: a quarter of the cost (issue 19)
        String text = String.format(Locale.US, "%d KiB in %.3f s: %.1f KiB/s now, %.1f KiB/s average (simulated time)",
                bytes / 1024, simulatedNs / 1e9, instant / 1024, average / 1024);
        return new ProgressSnapshot(bytes, simulatedNs, instant, average, instant / 1024, average / 1024, text);
    }
}
