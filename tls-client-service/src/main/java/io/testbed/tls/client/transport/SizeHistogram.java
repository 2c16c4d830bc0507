package io.testbed.tls.client.transport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sizes seen (TLS records, bytes per read): count, min, mean, max and a power-of-two histogram whose
 * bucket {@code "<=N"} counts sizes in (N/2, N]. Single writer (the download's thread); readers get a
 * consistent-enough {@link #snapshot()}.
 */
public final class SizeHistogram {
    /** Buckets up to 64 KiB, then one for larger. */
    private static final int BUCKETS = 18;

    private final long[] buckets = new long[BUCKETS];
    private volatile long count;
    private volatile long sum;
    private volatile long min = Long.MAX_VALUE;
    private volatile long max;

    public synchronized void add(long size) {
        count++;
        sum += size;
        min = Math.min(min, size);
        max = Math.max(max, size);
        int b = size <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(size - 1);
        buckets[Math.min(b, BUCKETS - 1)]++;
    }

    /** The figures for a result: {@code count, min, mean, max, histogram{"<=N": count}} (empty buckets left out). */
    public synchronized Snapshot snapshot() {
        Map<String, Long> h = new LinkedHashMap<>();
        for (int i = 0; i < BUCKETS; i++) {
            if (buckets[i] > 0) {
                h.put(i == BUCKETS - 1 ? ">" + (1L << (BUCKETS - 2)) : "<=" + (1L << i), buckets[i]);
            }
        }
        return new Snapshot(count, count == 0 ? 0 : min, count == 0 ? 0 : (double) sum / count, max, h);
    }

    /**
     * @param histogram bucket label ({@code "<=16384"}: sizes in (8192, 16384]) -> count
     */
    public record Snapshot(long count, long min, double mean, long max, Map<String, Long> histogram) {
        public static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, Map.of());
    }
}
