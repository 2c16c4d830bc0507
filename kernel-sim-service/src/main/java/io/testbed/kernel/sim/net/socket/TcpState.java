package io.testbed.kernel.sim.net.socket;

/** The simulated socket's connection state, coarser than RFC 793's where the model needs no more. */
public enum TcpState {
    /** Created, not connected. */
    CLOSED,
    /** connect() called; the SYN leaves at the next network poll. */
    SYN_PENDING,
    SYN_SENT,
    ESTABLISHED,
    /** The peer sent FIN; we may still send. */
    CLOSE_WAIT,
    /** We closed; FIN queued or sent. */
    FIN_WAIT,
    /** Both directions finished. */
    DONE,
    /** The peer answered the SYN with RST. */
    REFUSED,
    /** The connection was reset after it was established. */
    RESET
}
