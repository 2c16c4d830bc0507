package io.testbed.kernel.api;

import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;

/**
 * A user thread that forwards everything to another: the base of the decorators that watch or alter a
 * thread's syscalls (traces, recorders, fault injectors). A subclass overrides {@link #invoke} and calls
 * {@code super.invoke} (or {@link #delegate()}) for the real call.
 */
public abstract class ForwardingUserThread implements UserThread {
    private final UserThread delegate;

    protected ForwardingUserThread(UserThread delegate) {
        this.delegate = delegate;
    }

    /** The thread this one forwards to. */
    protected final UserThread delegate() {
        return delegate;
    }

    @Override
    public int tid() {
        return delegate.tid();
    }

    @Override
    public SyscallReply invoke(SyscallRequest.Builder request) {
        return delegate.invoke(request);
    }

    @Override
    public boolean repeatsOnWouldBlock() {
        return delegate.repeatsOnWouldBlock();
    }

    @Override
    public void chargeUserCpu(UserCpuKind kind, long nanos) {
        delegate.chargeUserCpu(kind, nanos);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
