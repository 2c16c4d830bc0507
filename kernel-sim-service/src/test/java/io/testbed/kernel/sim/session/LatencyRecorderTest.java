package io.testbed.kernel.sim.session;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyRecorderTest {

    private static long exactQuantile(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        long rank = Math.max(1, (long) Math.ceil(q * sorted.length));
        return sorted[(int) rank - 1];
    }

    /** Echo-like latencies: 0.1 ms to 500 ms, log-uniform. */
    private static long[] samples(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = (long) Math.exp(Math.log(100_000) + random.nextDouble() * (Math.log(500_000_000) - Math.log(100_000)));
        }
        return v;
    }

    @Test
    @DisplayName("up to 65,536 samples the quantiles are exact")
    void fewSamples_exactQuantiles() {
        long[] v = samples(LatencyRecorder.EXACT, 1);
        LatencyRecorder r = new LatencyRecorder();
        for (long x : v) {
            r.record(x);
        }
        for (double q : new double[]{0.0, 0.5, 0.99, 1.0}) {
            assertThat(r.quantile(q)).as("q=%s", q).isEqualTo(exactQuantile(v, q));
        }
        assertThat(r.count()).isEqualTo(LatencyRecorder.EXACT);
    }

    @Test
    @DisplayName("beyond that, in bounded memory, each quantile is at most 0.1% above the exact one and never below it")
    void manySamples_quantilesWithinOnePerMille() {
        long[] v = samples(300_000, 2);
        LatencyRecorder r = new LatencyRecorder();
        for (long x : v) {
            r.record(x);
        }
        assertThat(r.count()).isEqualTo(300_000);
        for (double q : new double[]{0.01, 0.5, 0.9, 0.99, 0.999, 1.0}) {
            long exact = exactQuantile(v, q);
            assertThat(r.quantile(q)).as("q=%s", q).isBetween(exact, exact + exact / 1024 + 1);
        }
    }

    @Test
    @DisplayName("every value falls in a bucket whose upper edge is at or above it and within 0.1%; buckets are in order")
    void buckets_coverEveryValue() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(1L << random.nextInt(1, 53));
            int index = LatencyRecorder.index(v);
            assertThat(LatencyRecorder.upperEdge(index)).isBetween(v, v + v / 1024 + 1);
            assertThat(index == 0 || LatencyRecorder.upperEdge(index - 1) < v).isTrue();
        }
        assertThat(LatencyRecorder.index(Long.MAX_VALUE)).isLessThan((64 - 10 + 1) * LatencyRecorder.SUB_BUCKETS);
    }
}
