package io.testbed.kernel.api;

import io.testbed.kernel.api.v1.Attach;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client side of a user thread that every binding shares: number the request, attach the
 * userspace CPU time accumulated since the last syscall (in all and its TLS and pack parts), hand it to the kernel, and block until its
 * reply, the thread's end, or a timeout. A binding only says how a request is sent and how the thread
 * is aborted; replies and the end arrive through {@link #delivered} and {@link #ended}, from the binding's transport
 * thread, or, for a binding whose calling thread reads its reply itself (the framed socket), from its
 * {@link #receive}.
 */
public abstract class AwaitingUserThread implements UserThread {
    private static final Object END = new Object();
    private final LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final Duration replyTimeout;
    private final boolean readsOwnReplies;
    private volatile String endReason;
    private volatile Throwable endCause;
    private int tid = -1;
    private long seq;
    /** Userspace CPU accumulated since the last syscall, by {@link UserCpuKind} ordinal. */
    private final long[] pendingUserCpuNs = new long[UserCpuKind.values().length];
    private boolean closed;

    /** A binding whose transport delivers replies on a thread of its own. */
    protected AwaitingUserThread(Duration replyTimeout) {
        this(replyTimeout, false);
    }

    /**
     * @param readsOwnReplies whether the calling thread reads each reply itself in {@link #receive} (no transport
     *                        thread, no hand-off)
     */
    protected AwaitingUserThread(Duration replyTimeout, boolean readsOwnReplies) {
        this.replyTimeout = replyTimeout;
        this.readsOwnReplies = readsOwnReplies;
    }

    /** Hands one request to the kernel (it must not block for the reply). */
    protected abstract void send(SyscallRequest request);

    /** Stops the thread on the kernel side (timeout, interrupt, protocol error). */
    protected abstract void abort(String why);

    /**
     * A binding that reads its own replies: wait up to {@code timeoutMs} for the reply to the request just sent, on
     * the calling thread, and pass it on with {@link #delivered} or {@link #ended} before returning; return without
     * either when nothing came in time.
     */
    protected void receive(long timeoutMs) throws InterruptedException {
        throw new UnsupportedOperationException("this binding's transport delivers its replies");
    }

    /** After {@link #close()}: release the binding (e.g. complete the stream). */
    protected void released() {
    }

    /** The binding received a reply. */
    protected final void delivered(SyscallReply reply) {
        replies.add(reply);
    }

    /** The binding learned that the thread is over: exit, killed, or the transport broke. */
    protected final void ended(String reason, Throwable cause) {
        endReason = reason;
        endCause = cause;
        replies.add(END);
    }

    /** Set once the attach has succeeded. */
    protected final void attached(int tid) {
        this.tid = tid;
    }

    /**
     * A stream binding's first request: attaches this thread to machine {@code machineId}. If it fails or is refused
     * the binding is aborted (nothing attached stays behind).
     *
     * @throws KernelException naming the machine, with the kernel's reason or errno
     */
    protected final void attach(String machineId, String threadName, String owner) {
        SyscallReply reply;
        try {
            reply = invoke(SyscallRequest.newBuilder().setAttach(Attach.newBuilder()
                    .setMachineId(machineId).setName(threadName).setOwner(owner)));
        } catch (KernelException e) {
            abort("attach failed");
            throw new KernelException("attach to machine '" + machineId + "' failed: " + e.getMessage(), e);
        }
        if (reply.getRet() < 0) {
            abort("attach refused");
            throw new KernelException("attach to machine '" + machineId + "' refused: errno " + reply.getErrno());
        }
        attached(reply.getTid());
    }

    @Override
    public int tid() {
        return tid;
    }

    /** Both bindings (gRPC, in-process) reach a kernel-sim machine, which runs repeated calls. */
    @Override
    public boolean repeatsOnWouldBlock() {
        return true;
    }

    @Override
    public void chargeUserCpu(UserCpuKind kind, long nanos) {
        if (nanos > 0) {
            pendingUserCpuNs[kind.ordinal()] += nanos;
        }
    }

    @Override
    public SyscallReply invoke(SyscallRequest.Builder request) {
        if (closed) {
            throw new KernelException("user thread " + tid + " is closed");
        }
        long mySeq = ++seq;
        long tls = pendingUserCpuNs[UserCpuKind.TLS.ordinal()];
        long pack = pendingUserCpuNs[UserCpuKind.PACK.ordinal()];
        long total = tls + pack + pendingUserCpuNs[UserCpuKind.OTHER.ordinal()];
        SyscallRequest r = request.setSeq(mySeq).setUserCpuNs(total).setUserCpuTlsNs(tls).setUserCpuPackNs(pack).build();
        java.util.Arrays.fill(pendingUserCpuNs, 0);
        try {
            send(r);
        } catch (RuntimeException e) {
            closed = true;
            throw new KernelException("kernel unreachable: " + e.getMessage(), e);
        }
        Object next;
        try {
            if (readsOwnReplies) {
                receive(replyTimeout.toMillis());
                next = replies.poll();
            } else {
                next = replies.poll(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            abort("interrupted");
            throw new KernelException("interrupted while waiting for the kernel", e);
        }
        if (next == null) {
            closed = true;
            abort("client reply timeout");
            throw new KernelException("no reply from the kernel within " + replyTimeout.toMillis() + " ms");
        }
        if (next == END) {
            closed = true;
            replies.add(END);
            throw new KernelException("kernel ended user thread " + tid + ": " + endReason, endCause);
        }
        SyscallReply reply = (SyscallReply) next;
        if (reply.getSeq() != mySeq) {
            closed = true;
            abort("out of order reply");
            throw new KernelException("reply for seq " + reply.getSeq() + " while waiting for " + mySeq);
        }
        return reply;
    }

    /** Ends the thread: {@code exit(0)} if it is still attached, then releases the binding. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            exit(0);
        } catch (KernelException ignored) {
            // the thread is gone either way
        }
        closed = true;
        released();
    }
}
