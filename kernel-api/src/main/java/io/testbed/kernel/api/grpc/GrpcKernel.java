package io.testbed.kernel.api.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Attach;
import io.testbed.kernel.api.v1.Exit;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.api.v1.SyscallsGrpc;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC binding of {@link Kernel}: each user thread is one bidirectional {@code Syscalls.Thread}
 * stream. A syscall writes one request and blocks until its reply; if the stream breaks (kernel-sim
 * restarted, thread killed) the pending and every later syscall fail at once with a
 * {@link KernelException}, so a client never hangs on a dead kernel.
 */
public final class GrpcKernel implements Kernel {

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final Duration replyTimeout;

    /**
     * @param channel      the channel to the kernel-sim's gRPC port
     * @param ownsChannel  whether {@link #close()} shuts the channel down
     * @param replyTimeout the longest real time to wait for one reply (a live-clock nanosleep takes
     *                     real time, so this must exceed the longest sleep a client makes)
     */
    public GrpcKernel(ManagedChannel channel, boolean ownsChannel, Duration replyTimeout) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.replyTimeout = replyTimeout;
    }

    @Override
    public UserThread attach(String machineId, String threadName) {
        StreamThread thread = new StreamThread(replyTimeout);
        // replies only go into the thread's queue: deliver them on the transport thread, no extra hop
        SyscallsGrpc.newStub(channel).withExecutor(Runnable::run).thread(thread);
        SyscallReply reply = thread.invoke(SyscallRequest.newBuilder()
                .setAttach(Attach.newBuilder().setMachineId(machineId).setName(threadName)));
        if (reply.getRet() < 0) {
            thread.abort("attach refused");
            throw new KernelException("attach to machine '" + machineId + "' refused: errno " + reply.getErrno());
        }
        thread.tid = reply.getTid();
        return thread;
    }

    @Override
    public void close() {
        if (ownsChannel) {
            channel.shutdownNow();
        }
    }

    private static final class StreamThread implements UserThread, ClientResponseObserver<SyscallRequest, SyscallReply> {
        private static final Object END = new Object();
        private final LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
        private final Duration replyTimeout;
        private ClientCallStreamObserver<SyscallRequest> requests;
        private volatile Throwable failure;
        private long seq;
        private long pendingUserCpuNs;
        private int tid = -1;
        private boolean closed;

        StreamThread(Duration replyTimeout) {
            this.replyTimeout = replyTimeout;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SyscallRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(SyscallReply value) {
            replies.add(value);
        }

        @Override
        public void onError(Throwable t) {
            failure = t;
            replies.add(END);
        }

        @Override
        public void onCompleted() {
            replies.add(END);
        }

        @Override
        public int tid() {
            return tid;
        }

        @Override
        public void chargeUserCpu(long nanos) {
            if (nanos > 0) {
                pendingUserCpuNs += nanos;
            }
        }

        @Override
        public SyscallReply invoke(SyscallRequest.Builder request) {
            if (closed) {
                throw new KernelException("user thread " + tid + " is closed");
            }
            long mySeq = ++seq;
            request.setSeq(mySeq).setUserCpuNs(pendingUserCpuNs);
            pendingUserCpuNs = 0;
            try {
                requests.onNext(request.build());
            } catch (RuntimeException e) {
                closed = true;
                throw new KernelException("kernel stream broken: " + e.getMessage(), e);
            }
            Object next;
            try {
                next = replies.poll(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort("interrupted");
                throw new KernelException("interrupted while waiting for the kernel", e);
            }
            if (next == null) {
                abort("reply timeout");
                throw new KernelException("no reply from the kernel within " + replyTimeout.toMillis() + " ms");
            }
            if (next == END) {
                closed = true;
                replies.add(END);
                Throwable t = failure;
                String why = t == null ? "stream completed by the kernel" : describe(t);
                throw new KernelException("kernel ended user thread " + tid + ": " + why, t);
            }
            SyscallReply reply = (SyscallReply) next;
            if (reply.getSeq() != mySeq) {
                abort("out of order reply");
                throw new KernelException("reply for seq " + reply.getSeq() + " while waiting for " + mySeq);
            }
            return reply;
        }

        private static String describe(Throwable t) {
            if (t instanceof StatusRuntimeException) {
                Status s = ((StatusRuntimeException) t).getStatus();
                return s.getCode() + (s.getDescription() == null ? "" : " " + s.getDescription());
            }
            return t.toString();
        }

        void abort(String why) {
            closed = true;
            try {
                requests.cancel(why, null);
            } catch (RuntimeException ignored) {
                // already broken
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            try {
                invoke(SyscallRequest.newBuilder().setExit(Exit.newBuilder().setCode(0)));
            } catch (KernelException ignored) {
                // the thread is gone either way
            }
            closed = true;
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // stream already closed by the kernel
            }
        }
    }
}
