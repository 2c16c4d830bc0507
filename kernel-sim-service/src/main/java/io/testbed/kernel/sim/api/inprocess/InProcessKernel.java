package io.testbed.kernel.sim.api.inprocess;

import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.machine.Machine;
import io.testbed.kernel.sim.machine.MachineRegistry;
import io.testbed.kernel.sim.syscall.ReplySink;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The in-process binding of {@link Kernel}: the same machines, without gRPC (tests and benchmarks).
 * The requests and replies are the same protobuf messages as on the wire.
 */
public final class InProcessKernel implements Kernel {
    private final MachineRegistry registry;
    private final Duration replyTimeout;

    public InProcessKernel(MachineRegistry registry, Duration replyTimeout) {
        this.registry = registry;
        this.replyTimeout = replyTimeout;
    }

    @Override
    public UserThread attach(String machineId, String threadName) {
        Machine m = registry.get(machineId);
        if (m == null) {
            throw new KernelException("no machine '" + machineId + "'");
        }
        Thread t = new Thread(m, threadName, replyTimeout);
        int tid;
        try {
            tid = m.loop().attach(threadName, t).get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new KernelException("interrupted attaching to " + machineId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KernelException("attach to " + machineId + " failed: " + e, e);
        }
        if (tid < 0) {
            throw new KernelException("machine '" + machineId + "' has no free thread slot");
        }
        t.tid = tid;
        return t;
    }

    @Override
    public void close() {
        // the registry is owned by whoever created it
    }

    private static final class Thread implements UserThread, ReplySink {
        private static final Object END = new Object();
        private final Machine machine;
        private final Duration replyTimeout;
        private final LinkedBlockingQueue<Object> replies = new LinkedBlockingQueue<>();
        private volatile String endReason;
        private int tid = -1;
        private long seq;
        private long pendingCpu;
        private boolean closed;

        Thread(Machine machine, String name, Duration replyTimeout) {
            this.machine = machine;
            this.replyTimeout = replyTimeout;
        }

        @Override
        public int tid() {
            return tid;
        }

        @Override
        public void chargeUserCpu(long nanos) {
            if (nanos > 0) {
                pendingCpu += nanos;
            }
        }

        @Override
        public SyscallReply invoke(SyscallRequest.Builder request) {
            if (closed) {
                throw new KernelException("user thread " + tid + " is closed");
            }
            long mySeq = ++seq;
            machine.loop().submit(tid, this, request.setSeq(mySeq).setUserCpuNs(pendingCpu).build());
            pendingCpu = 0;
            Object r;
            try {
                r = replies.poll(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                java.lang.Thread.currentThread().interrupt();
                throw new KernelException("interrupted", e);
            }
            if (r == null) {
                closed = true;
                machine.loop().detach(tid, this, "client reply timeout");
                throw new KernelException("no reply within " + replyTimeout.toMillis() + " ms");
            }
            if (r == END) {
                closed = true;
                replies.add(END);
                throw new KernelException("kernel ended user thread " + tid + ": " + endReason);
            }
            SyscallReply reply = (SyscallReply) r;
            if ("exit".equals(endReason)) {
                closed = true;
            }
            return reply;
        }

        @Override
        public void close() {
            if (!closed) {
                try {
                    exit(0);
                } catch (KernelException ignored) {
                    // gone already
                }
                closed = true;
            }
        }

        @Override
        public void reply(SyscallReply reply) {
            replies.add(reply);
        }

        @Override
        public void ended(String reason) {
            endReason = reason;
            if (!"exit".equals(reason)) {
                replies.add(END);
            }
        }
    }
}
