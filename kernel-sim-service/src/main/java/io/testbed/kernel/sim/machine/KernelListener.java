package io.testbed.kernel.sim.machine;

import io.testbed.kernel.sim.net.NetEvents;

/**
 * What a machine reports to the world outside the model (metrics): the network's events
 * ({@link NetEvents}: retransmits, advertised windows, receive-buffer occupancy) and the machine's own.
 * Called on the engine thread; implementations must be cheap and must not call back into the machine.
 * The calls a machine would make at every pass and step (passes, context switches, CPU time, boosts, network
 * polls) come through the bulk variants, added up since the last hand-over ({@code ListenerBatch}); a listener
 * other than {@link #NONE} hears their totals at every syscall's return, when a thread ends, when the
 * machine is read, goes quiescent or is deleted, and at least every 65,536 passes.
 */
public interface KernelListener extends NetEvents {
    KernelListener NONE = new KernelListener() {
    };

    default void syscall(String name, int errno) {
    }

    default void contextSwitch() {
    }

    default void boost(String reason) {
    }

    /** A scheduler pass (reason: tick, yield, sleep, block, exit, wake) gave the core to a thread of this kind. */
    default void pass(String reason, String kindGivenTheCore) {
    }

    /** CPU time charged to a thread of a kind (idle, network, user); may be negative (a preemption refund). */
    default void cpuTime(String kind, long ns) {
    }

    /** An interactive session's echo left the machine, {@code ns} after its keystroke reached the NIC. */
    default void echoLatency(long ns) {
    }

    default void networkPoll() {
    }

    // bulk variants, for a fast-forward that crossed many passes at once (the same totals as the single calls)

    /** {@code n} calls of {@link #pass}. */
    default void passes(String reason, String kindGivenTheCore, long n) {
        for (long i = 0; i < n; i++) {
            pass(reason, kindGivenTheCore);
        }
    }

    /** {@code n} calls of {@link #contextSwitch}. */
    default void contextSwitches(long n) {
        for (long i = 0; i < n; i++) {
            contextSwitch();
        }
    }

    /** {@code n} calls of {@link #boost}. */
    default void boosts(String reason, long n) {
        for (long i = 0; i < n; i++) {
            boost(reason);
        }
    }

    /** {@code n} calls of {@link #networkPoll}. */
    default void networkPolls(long n) {
        for (long i = 0; i < n; i++) {
            networkPoll();
        }
    }

    default void threadKilled(String reason) {
    }

    default void virtualTimeAdvanced(long ns) {
    }
}
