package io.testbed.kernel.sim.net;

import io.testbed.kernel.sim.net.link.Link;

/**
 * Something on the machine other than its sockets that owns connection ids on the wire (the interactive
 * SSH sessions): its frames come off the NIC at a poll, and what it queued leaves at a poll. The stack
 * asks it which ids are its own and knows nothing else of it.
 */
public interface LocalEndpoint {
    /** Whether frames of connection {@code conn} are this endpoint's. */
    boolean owns(long conn);

    /** One of its frames, taken off the NIC by a poll at {@code now}. */
    void received(Segment frame, long now);

    /** Sends on {@code uplink} what it queued since the last poll; returns how many segments. */
    int flush(long now, Link uplink);

    /** Whether a poll's {@link #flush} would send anything. */
    boolean sendQueued();
}
