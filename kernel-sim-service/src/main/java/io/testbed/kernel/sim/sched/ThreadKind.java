package io.testbed.kernel.sim.sched;

/** What a thread slot holds. */
public enum ThreadKind {
    /** The boot thread's idle loop (slot 0 when the network thread runs elsewhere). */
    IDLE,
    /** The network thread: polls the stack and yields, forever. */
    NETWORK,
    /** An interactive session's thread (Akuma's SSH session). */
    SESSION,
    /** A userspace service the kernel starts itself (Akuma's herd). */
    DAEMON,
    /** A user thread driven by a client's syscalls. */
    USER;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The lowercase name used in stats and metric tags (computed once: it is on the hot path). */
    public String label() {
        return label;
    }
}
