package io.testbed.kernel.sim.session;

import java.util.Arrays;

/**
 * Latencies in ns and their quantiles, in bounded memory. The first {@value #EXACT} samples are kept as
 * they are, so a run with fewer gets exact quantiles. After that every sample goes to a log-linear
 * histogram ({@value #SUB_BUCKETS} buckets per power of two: a quantile is then the upper edge of its
 * bucket, at most 0.1% above the true value), so a live machine with sessions running for days keeps
 * about 0.45 MB, not a sample per echo.
 */
final class LatencyRecorder {
    static final int EXACT = 1 << 16;
    private static final int SUB_BITS = 10;
    static final int SUB_BUCKETS = 1 << SUB_BITS;

    private long[] exact = new long[1024];
    private long[] buckets;
    private long count;

    void record(long ns) {
        long v = Math.max(0, ns);
        if (buckets == null) {
            if (count < EXACT) {
                if (count == exact.length) {
                    exact = Arrays.copyOf(exact, exact.length * 2);
                }
                exact[(int) count++] = v;
                return;
            }
            buckets = new long[(64 - SUB_BITS + 1) * SUB_BUCKETS];
            for (long e : exact) {
                buckets[index(e)]++;
            }
            exact = null;
        }
        buckets[index(v)]++;
        count++;
    }

    long count() {
        return count;
    }

    /** The q-quantile (0..1): the smallest value with at least q of the samples at or below it; 0 if none. */
    long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, Math.min(count, (long) Math.ceil(q * count)));
        if (buckets == null) {
            long[] sorted = Arrays.copyOf(exact, (int) count);
            Arrays.sort(sorted);
            return sorted[(int) rank - 1];
        }
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return upperEdge(i);
            }
        }
        return upperEdge(buckets.length - 1);
    }

    /**
     * Values below 2^SUB_BITS have a bucket each; a value in [2^m, 2^(m+1)) with m >= SUB_BITS goes to one of
     * SUB_BUCKETS equal buckets of that power of two.
     */
    static int index(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
        return SUB_BUCKETS + shift * SUB_BUCKETS + (int) ((v >>> shift) - SUB_BUCKETS);
    }

    /** The largest value of a bucket. */
    static long upperEdge(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = (index - SUB_BUCKETS) / SUB_BUCKETS;
        long sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
        return ((SUB_BUCKETS + sub) << shift) + (1L << shift) - 1;
    }
}
