package io.testbed.tls.client.policy;

import io.testbed.kernel.api.UserThread;

/**
 * What a client does when a socket call says {@code EAGAIN}. The hook waits only through syscalls
 * on the given thread (nanosleep, sched_yield, poll), never on the client's own clock, so the
 * kernel's sleep and scheduling model applies.
 *
 * <p>Implementations are created per download from a {@link PolicySpec} by {@link WouldBlockPolicies}.
 */
public interface WouldBlockPolicy {

    /** The registered name ("sleep"). */
    String name();

    /** A label with the parameters that matter ("sleep 10 ms, idle 500 reads"). */
    String label();

    /** Consecutive empty reads after which the download fails with an idle timeout. */
    int idleTimeoutReads();

    /**
     * The recvfrom flags the transport passes. 0, as Akuma's userspace does: Akuma's kernel answers
     * a plain recvfrom with {@code EAGAIN} after its own yield loop (kernel-sim models that loop;
     * {@code MSG_DONTWAIT} would skip it), so the policy's wait happens on top of the kernel's.
     */
    default int recvFlags() {
        return 0;
    }

    /**
     * Called after each {@code EAGAIN} that did not reach the idle bound.
     *
     * @param thread                the download's thread: every wait must be a syscall on it
     * @param consecutiveEmptyReads 1 for the first empty read since data last arrived, then 2, ...
     */
    void onWouldBlock(UserThread thread, int consecutiveEmptyReads);
}
