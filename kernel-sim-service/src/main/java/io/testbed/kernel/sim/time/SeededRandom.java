package io.testbed.kernel.sim.time;

import java.util.SplittableRandom;

/** The machine's one source of randomness (link jitter and loss, keystroke arrivals), from its seed. */
public final class SeededRandom {
    private final SplittableRandom random;

    public SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public long nextLong(long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound);
    }

    /** An exponentially distributed value with the given mean. */
    public double exponential(double mean) {
        return -mean * Math.log(1.0 - random.nextDouble());
    }
}
