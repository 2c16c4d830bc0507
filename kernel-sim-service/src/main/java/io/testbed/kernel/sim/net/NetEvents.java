package io.testbed.kernel.sim.net;

/** What the network stack reports for metrics; called on the engine thread. */
public interface NetEvents {
    NetEvents NONE = new NetEvents() {
    };

    /** A segment was sent again, by the machine ("local") or by a remote host ("remote"). */
    default void retransmit(String side) {
    }

    /** A socket advertised this receive window (bytes) in a segment it sent. */
    default void windowAdvertised(int bytes) {
    }

    /** A socket's receive buffer held this many bytes after a poll that brought it data. */
    default void rxOccupancy(int bytes) {
    }
}
