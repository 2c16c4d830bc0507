package io.testbed.kernel.sim.net.link;

import io.testbed.kernel.sim.net.Segment;

/**
 * One direction of the wire between the simulated machine and the remote hosts: it decides when a
 * segment sent at {@code now} arrives at the other end. Faults (jitter, loss) wrap a basic link.
 */
public interface Link {

    /** Puts a segment on the wire; the link delivers it to its receiver at the arrival time (or drops it). */
    void send(Segment segment, long now);
}
