package io.testbed.tls.client.policy;

import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.UserThread;

/**
 * A blocking socket read the POSIX way: {@code recvfrom} without {@code MSG_DONTWAIT}, and on
 * {@code EAGAIN} simply call it again. Meaningful on a machine with {@code net.poll_mode=irq-wakeup},
 * where a blocking recvfrom sleeps until the NIC interrupt brings data and {@code EAGAIN} never
 * comes. On Akuma's own polling modes recvfrom gives up with {@code EAGAIN} after its 50-yield loop
 * even on a blocking socket, so this degenerates to re-calling recvfrom after each EAGAIN (a loop of
 * kernel yields with no wait of the client's own). Bounded by a simulated duration (default 5 s),
 * which on irq-wakeup can only be checked when a read returns: a server that never sends leaves the
 * read blocked.
 */
public final class BlockingRecv extends IdleBoundedPolicy {
    public static final String NAME = "blocking";
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 5000;

    private BlockingRecv(IdleBound idle) {
        super(NAME, idle);
    }

    static BlockingRecv from(PolicySpec spec) {
        return new BlockingRecv(IdleBound.of(spec, UNBOUNDED_READS, DEFAULT_IDLE_TIMEOUT_MS));
    }

    @Override
    String describe() {
        return "blocking recvfrom";
    }

    /** No wait: the kernel calls recvfrom again at once, as this policy does. */
    @Override
    public boolean repeatable(int fd, int events, RepeatOnWouldBlock.Builder repeat) {
        return true;
    }

    @Override
    public void onWouldBlock(UserThread thread, int fd, int events, int consecutiveEmptyReads) {
        // call recvfrom again at once: the kernel's own loop is the wait
    }
}
