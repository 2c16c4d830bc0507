package io.testbed.kernel.sim.calibration;

import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.machine.MachineModel;
import io.testbed.kernel.sim.runtime.UpstreamGate;
import io.testbed.kernel.sim.net.remote.UpstreamConnector;
import io.testbed.kernel.sim.syscall.ReplySink;

/**
 * One simulated machine on the virtual clock, driven from the caller's thread: a user thread's
 * syscalls go in as {@link SyscallRequest}s (the ABI the gRPC and in-process bindings carry) and the
 * machine's events fire until the reply comes. Deterministic: same settings and seed, same replies.
 */
public final class SyscallDriver implements ReplySink {
    /** No syscall may take longer than this much simulated time (a stuck program fails, not hangs). */
    private static final long MAX_CALL_NS = 600_000_000_000L;

    private final MachineModel model;
    private final int tid;
    private SyscallReply reply;
    private long seq;
    private long userCpuNs;

    public SyscallDriver(MachineSettings settings, long seed, UpstreamConnector connector) {
        this.model = new MachineModel(settings, true, seed, UpstreamGate.peers(settings, () -> 0L, true, connector),
                KernelListener.NONE);
        this.tid = model.attach("calibration", this);
        if (tid < 0) {
            throw new IllegalStateException("no free user slot");
        }
    }

    /** Userspace CPU the next syscall declares (the work the program does before it). */
    public void chargeUserCpu(long ns) {
        userCpuNs += ns;
    }

    /** Makes one syscall and runs the machine until its reply. */
    public SyscallReply call(SyscallRequest.Builder request) {
        reply = null;
        request.setSeq(++seq).setUserCpuNs(userCpuNs);
        userCpuNs = 0;
        String refused = model.deliver(tid, this, request.build());
        if (refused != null) {
            throw new IllegalStateException("syscall refused: " + refused);
        }
        long deadline = model.events().now() + MAX_CALL_NS;
        while (reply == null) {
            if (model.events().peekTime() > deadline) {
                throw new IllegalStateException("syscall did not return within 600 s of simulated time");
            }
            model.events().fireNext();
        }
        return reply;
    }

    /** Simulated time now. */
    public long nowNs() {
        return model.events().now();
    }

    public MachineModel model() {
        return model;
    }

    @Override
    public void reply(SyscallReply r) {
        this.reply = r;
    }

    @Override
    public void ended(String reason) {
        // the program exits last; nothing waits for it
    }
}
