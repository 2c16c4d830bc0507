package io.testbed.tls.client.policy;

import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.UserThread;

import java.io.IOException;

/**
 * What a client does when a socket call says {@code EAGAIN}. The hook waits only through syscalls
 * on the given thread (nanosleep, sched_yield, poll), never on the client's own clock, so the
 * kernel's sleep and scheduling model applies.
 *
 * <p>Implementations are created per download from a {@link PolicySpec} by {@link WouldBlockPolicies}.
 */
public interface WouldBlockPolicy {

    /** No bound by count: the policy bounds idle time by duration instead. */
    int UNBOUNDED_READS = Integer.MAX_VALUE;

    /** The registered name ("sleep"). */
    String name();

    /** A label with the parameters that matter ("sleep 10 ms, idle 500 reads"). */
    String label();

    /** The parameters in effect, defaults filled in (shown in results). */
    PolicySpec effective();

    /** Consecutive empty reads after which the download fails with an idle timeout ({@link #UNBOUNDED_READS}: none). */
    int idleTimeoutReads();

    /**
     * Simulated nanoseconds without data after which the download fails with an idle timeout, from
     * the first empty read's entry to the latest syscall's exit; 0 for none.
     */
    default long idleTimeoutNs() {
        return 0;
    }

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
     * @param fd                    the socket that would block
     * @param events                what the caller waits for: {@code POLLIN} (recvfrom) or {@code POLLOUT} (sendto)
     * @param consecutiveEmptyReads 1 for the first empty read since data last arrived, then 2, ...
     * @throws IOException when the wait itself fails (a syscall the machine does not offer)
     */
    void onWouldBlock(UserThread thread, int fd, int events, int consecutiveEmptyReads) throws IOException;

    /**
     * Whether the kernel may run this policy's loop for the client ({@code SyscallRequest.repeat}): the wait
     * after an {@code EAGAIN} on {@code fd} is the same syscall every time and its answer matters only when
     * it fails. If so the wait is set in {@code repeat} (none: call again at once) and true returned; false
     * keeps the loop in the client (e.g. a backoff, whose sleep grows with each empty read).
     *
     * @param events {@code POLLIN} (recvfrom) or {@code POLLOUT} (sendto)
     */
    default boolean repeatable(int fd, int events, RepeatOnWouldBlock.Builder repeat) {
        return false;
    }

    /**
     * A wait of this policy that the kernel ran and that failed (a repeated call ends on it): do what
     * {@link #onWouldBlock} does with such an answer (throw, or accept it and let the caller call again).
     */
    default void waitFailed(SyscallReply wait) throws IOException {
    }
}
