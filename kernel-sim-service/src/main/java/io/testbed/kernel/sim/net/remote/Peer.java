package io.testbed.kernel.sim.net.remote;

import io.testbed.kernel.sim.net.Segment;

/**
 * The far end of one connection the machine started, as the network stack sees it: its remote TCP
 * behind a gate to the real upstream (the runtime's {@code UpstreamGate}). Wall times are passed in;
 * the stack never reads a clock.
 */
public interface Peer {
    /** A segment from the machine arrives at the remote TCP. */
    void receive(Segment s);

    /** The client has more to send: the upstream's answer is not complete yet. */
    void clientStillSending();

    /** Bytes the remote TCP has received from the machine. */
    long received();

    /** Whether the connection is over on the remote side. */
    boolean closed();

    /** Closes the real upstream connection, if any. */
    void shutdown();

    /** Decides, if the upstream went quiet by {@code wallNow}, that its answer is complete; true if it did. */
    boolean releaseIfQuiet(long wallNow);

    /** The wall time until which simulated time must not advance, or a value of 0 or less for none. */
    long holdUntil(long wallNow);

    long retransmits();

    long lateArrivals();

    long quietDecisions();

    long marksReceived();
}
