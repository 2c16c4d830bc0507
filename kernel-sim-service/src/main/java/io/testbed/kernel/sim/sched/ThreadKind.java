package io.testbed.kernel.sim.sched;

/** What a thread slot holds. */
public enum ThreadKind {
    /** The boot thread's idle loop (slot 0 when the network thread runs elsewhere). */
    IDLE,
    /** The network thread: polls the stack and yields, forever. */
    NETWORK,
    /** An interactive session's thread (Akuma's SSH session). */
    SESSION,
    /** A user thread driven by a client's syscalls. */
    USER;

    public String label() {
        return name().toLowerCase();
    }
}
