package io.testbed.kernel.sim.api.inprocess;

import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.AwaitingUserThread;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.kernel.sim.runtime.SyscallRepeater;
import io.testbed.kernel.sim.syscall.ReplySink;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
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
    public UserThread attach(String machineId, String threadName, String owner) {
        Machine m = registry.get(machineId);
        if (m == null) {
            throw new KernelException("no machine '" + machineId + "'");
        }
        Thread t = new Thread(m, threadName, replyTimeout);
        int tid;
        try {
            tid = m.loop().attach(threadName, owner, t.link).get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            throw new KernelException("interrupted attaching to " + machineId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KernelException("attach to " + machineId + " failed: " + e, e);
        }
        if (tid == io.testbed.kernel.sim.machine.MachineModel.ATTACH_TIME_LIMIT) {
            throw new KernelException("machine '" + machineId + "' reached machine.max_simulated_s; delete it");
        }
        if (tid < 0) {
            throw new KernelException("machine '" + machineId + "' has no free thread slot");
        }
        t.attachedAs(tid);
        return t;
    }

    @Override
    public void close() {
        // the registry is owned by whoever created it
    }

    private static final class Thread extends AwaitingUserThread implements ReplySink {
        private final SyscallRepeater link;

        Thread(Machine machine, String name, Duration replyTimeout) {
            super(replyTimeout);
            this.link = new SyscallRepeater(machine.loop(), this);
        }

        void attachedAs(int tid) {
            link.attached(tid);
            attached(tid);
        }

        @Override
        protected void send(SyscallRequest request) {
            link.submit(request);
        }

        @Override
        protected void abort(String why) {
            link.detach(why);
        }

        // ---- ReplySink: called on the machine's engine thread ----

        @Override
        public void reply(SyscallReply reply) {
            delivered(reply);
        }

        @Override
        public void ended(String reason) {
            ended(reason, null);
        }
    }
}
