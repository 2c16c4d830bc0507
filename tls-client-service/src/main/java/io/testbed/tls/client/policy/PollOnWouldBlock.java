package io.testbed.tls.client.policy;

import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Poll;
import io.testbed.kernel.api.v1.PollFd;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.tls.client.transport.SyscallException;

/**
 * Non-blocking reads ({@code MSG_DONTWAIT}: no kernel yield loop) and, on {@code EAGAIN}, the
 * {@code poll} syscall on the socket with a timeout: the thread sleeps in the kernel until the
 * socket is readable (or writable) or the timeout passes. Akuma has no poll syscall; kernel-sim
 * offers it with machine setting {@code syscall.poll=enabled}, and without it this policy fails the
 * download at the first would-block, naming the setting. Bounded by a simulated duration (default 5 s).
 */
public final class PollOnWouldBlock extends IdleBoundedPolicy {
    public static final String NAME = "poll";
    public static final int DEFAULT_TIMEOUT_MS = 10;
    public static final int MAX_TIMEOUT_MS = 60_000;
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 5000;

    private final int timeoutMs;

    private PollOnWouldBlock(int timeoutMs, IdleBound idle) {
        super(NAME, idle);
        this.timeoutMs = timeoutMs;
    }

    static PollOnWouldBlock from(PolicySpec spec) {
        int timeout = InvalidPolicyException.range("timeoutMs", spec.timeoutMs(), DEFAULT_TIMEOUT_MS, 0, MAX_TIMEOUT_MS);
        return new PollOnWouldBlock(timeout, IdleBound.of(spec, UNBOUNDED_READS, DEFAULT_IDLE_TIMEOUT_MS));
    }


    @Override
    String describe() {
        return "poll " + timeoutMs + " ms, nonblocking reads";
    }

    @Override
    PolicySpec parameters() {
        return PolicySpec.poll(timeoutMs);
    }



    @Override
    public int recvFlags() {
        return Errno.MSG_DONTWAIT;
    }

    @Override
    public boolean repeatable(int fd, int events, RepeatOnWouldBlock.Builder repeat) {
        repeat.setPoll(poll(fd, events));
        return true;
    }

    @Override
    public void onWouldBlock(UserThread thread, int fd, int events, int consecutiveEmptyReads) throws SyscallException {
        waitFailed(thread.poll(poll(fd, events)));
    }

    private Poll poll(int fd, int events) {
        return Poll.newBuilder().setTimeoutMs(timeoutMs).addFds(PollFd.newBuilder().setFd(fd).setEvents(events)).build();
    }

    /** A failed poll ends the download, except an interrupted one (EINTR: read again). */
    @Override
    public void waitFailed(SyscallReply r) throws SyscallException {
        if (r.getRet() < 0) {
            if (r.getErrno() == Errno.ENOSYS) {
                throw new SyscallException("poll", r.getErrno(), "this machine has no poll syscall, as Akuma; "
                        + "policy 'poll' needs a machine created with override syscall.poll=enabled");
            }
            if (r.getErrno() != Errno.EINTR) {
                throw new SyscallException("poll", r.getErrno(), null);
            }
        }
    }
}
