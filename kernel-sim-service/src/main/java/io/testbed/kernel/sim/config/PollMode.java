package io.testbed.kernel.sim.config;

/** The values of {@code net.poll_mode}: who moves packets between the NIC and the sockets. */
public enum PollMode implements Choice {
    /** The network thread, which polls and yields (Akuma). */
    POLLER_THREAD("poller-thread"),
    /** The network thread, and syscalls that poll the stack themselves. */
    DIRECT_POLL("direct-poll"),
    /** The NIC interrupt, with sockets that block until woken. */
    IRQ_WAKEUP("irq-wakeup");

    private final String wireName;

    PollMode(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
