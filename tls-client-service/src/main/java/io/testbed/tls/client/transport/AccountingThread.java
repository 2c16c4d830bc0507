package io.testbed.tls.client.transport;

import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;

/**
 * A {@link UserThread} that records every syscall's kernel times into {@link IoStats}: the first
 * entry, the last exit, and for nanosleep the time slept. Would-block policies receive this thread,
 * so whatever they do to wait (nanosleep, sched_yield, poll) is accounted without their help.
 */
public final class AccountingThread implements UserThread {
    private final UserThread delegate;
    private final IoStats stats;

    public AccountingThread(UserThread delegate, IoStats stats) {
        this.delegate = delegate;
        this.stats = stats;
    }

    public IoStats stats() {
        return stats;
    }

    @Override
    public int tid() {
        return delegate.tid();
    }

    @Override
    public SyscallReply invoke(SyscallRequest.Builder request) {
        SyscallRequest.CallCase call = request.getCallCase();
        SyscallReply reply = delegate.invoke(request);
        stats.syscall(reply.getEntryTimeNs(), reply.getExitTimeNs());
        if (call == SyscallRequest.CallCase.NANOSLEEP) {
            stats.sleep(reply.getExitTimeNs() - reply.getEntryTimeNs());
        }
        return reply;
    }

    @Override
    public void chargeUserCpu(long nanos) {
        delegate.chargeUserCpu(nanos);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
