package io.testbed.kernel.sim.net.link;

import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.time.SeededRandom;
import io.testbed.kernel.sim.net.Segment;

/**
 * Adds a seeded random delay, uniform in [0, jitter], before a segment enters the wrapped link. Segments
 * keep their order (a later one never overtakes an earlier one), as on a single path.
 */
public final class JitterLink implements Link {
    private final Link inner;
    private final EventQueue events;
    private final SeededRandom random;
    private final long jitterNs;
    private long lastHandoff;

    public JitterLink(Link inner, EventQueue events, SeededRandom random, long jitterNs) {
        this.inner = inner;
        this.events = events;
        this.random = random;
        this.jitterNs = jitterNs;
    }

    @Override
    public void send(Segment segment, long now) {
        long at = Math.max(lastHandoff, now + random.nextLong(jitterNs + 1));
        lastHandoff = at;
        if (at == now) {
            inner.send(segment, now);
        } else {
            events.schedule(at, Event.CLASS_HARDWARE, () -> inner.send(segment, at));
        }
    }
}
