package io.testbed.kernel.sim.net.link;

import io.testbed.kernel.sim.time.SeededRandom;
import io.testbed.kernel.sim.net.Segment;

/** Drops each segment with a seeded probability (parts per million) before the wrapped link. */
public final class LossLink implements Link {
    private final Link inner;
    private final SeededRandom random;
    private final double probability;
    private long dropped;

    public LossLink(Link inner, SeededRandom random, long lossPpm) {
        this.inner = inner;
        this.random = random;
        this.probability = lossPpm / 1_000_000.0;
    }

    @Override
    public void send(Segment segment, long now) {
        if (random.nextDouble() < probability) {
            dropped++;
            return;
        }
        inner.send(segment, now);
    }

    public long dropped() {
        return dropped;
    }
}
