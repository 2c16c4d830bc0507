package io.testbed.kernel.api.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.testbed.kernel.api.AwaitingUserThread;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.api.v1.SyscallsGrpc;

import java.time.Duration;

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
    public UserThread attach(String machineId, String threadName, String owner) {
        StreamThread thread = new StreamThread(replyTimeout);
        // replies only go into the thread's queue: deliver them on the transport thread, no extra hop
        SyscallsGrpc.newStub(channel).withExecutor(Runnable::run).thread(thread);
        thread.attachTo(machineId, threadName, owner);
        return thread;
    }

    @Override
    public void close() {
        if (ownsChannel) {
            channel.shutdownNow();
        }
    }

    private static final class StreamThread extends AwaitingUserThread
            implements ClientResponseObserver<SyscallRequest, SyscallReply> {
        private ClientCallStreamObserver<SyscallRequest> requests;

        StreamThread(Duration replyTimeout) {
            super(replyTimeout);
        }

        void attachTo(String machineId, String threadName, String owner) {
            attach(machineId, threadName, owner);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SyscallRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(SyscallReply value) {
            delivered(value);
        }

        @Override
        public void onError(Throwable t) {
            ended(describe(t), t);
        }

        @Override
        public void onCompleted() {
            ended("stream completed by the kernel", null);
        }

        private static String describe(Throwable t) {
            if (t instanceof StatusRuntimeException) {
                Status s = ((StatusRuntimeException) t).getStatus();
                return s.getCode() + (s.getDescription() == null ? "" : " " + s.getDescription());
            }
            return t.toString();
        }

        @Override
        protected void send(SyscallRequest request) {
            requests.onNext(request);
        }

        @Override
        protected void abort(String why) {
            try {
                requests.cancel(why, null);
            } catch (RuntimeException ignored) {
                // already broken
            }
        }

        @Override
        protected void released() {
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // stream already closed by the kernel
            }
        }
    }
}
