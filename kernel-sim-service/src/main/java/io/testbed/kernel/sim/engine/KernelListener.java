package io.testbed.kernel.sim.engine;

/**
 * What a machine reports to the world outside the model (metrics). Called on the engine thread;
 * implementations must be cheap and must not call back into the machine.
 */
public interface KernelListener {
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

    /** A TCP segment was retransmitted ("local": the machine's socket, "remote": the remote host). */
    default void retransmit(String side) {
    }

    /** A socket advertised this receive window, in bytes. */
    default void windowAdvertised(int bytes) {
    }

    /** A socket's receive buffer held this many bytes after a poll brought it data. */
    default void rxOccupancy(int bytes) {
    }

    /** CPU time charged to a thread of a kind (idle, network, user); may be negative (a preemption refund). */
    default void cpuTime(String kind, long ns) {
    }

    /** An interactive session's echo left the machine, {@code ns} after its keystroke reached the NIC. */
    default void echoLatency(long ns) {
    }

    default void networkPoll() {
    }

    default void threadKilled(String reason) {
    }

    default void virtualTimeAdvanced(long ns) {
    }
}
