package io.testbed.tls.client.transport;

import io.testbed.kernel.api.ForwardingUserThread;
import io.testbed.kernel.api.RepeatedCalls;
import io.testbed.kernel.api.UserCpuKind;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.Step;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.tls.client.cpu.UserCpuAccounting;
import io.testbed.tls.client.cpu.ZeroCpu;

import java.util.function.ObjLongConsumer;

/**
 * A {@link UserThread} that records every syscall's kernel times into {@link IoStats}: the first
 * entry, the last exit, and for nanosleep the time slept. Would-block policies receive this thread,
 * so whatever they do to wait (nanosleep, sched_yield, poll) is accounted without their help, also when
 * the kernel ran their loop (a repeated call: each of its syscalls is accounted).
 * Before each syscall it declares the userspace CPU its {@link UserCpuAccounting} says the client
 * used since the previous one, by kind.
 */
public final class AccountingThread extends ForwardingUserThread {
    private static final int NANOSLEEP = SyscallRequest.CallCase.NANOSLEEP.getNumber();

    private final IoStats stats;
    private final UserCpuAccounting cpu;
    private final ObjLongConsumer<UserCpuKind> charge = this::chargeUserCpu;

    public AccountingThread(UserThread delegate, IoStats stats) {
        this(delegate, stats, new ZeroCpu());
    }

    public AccountingThread(UserThread delegate, IoStats stats, UserCpuAccounting cpu) {
        super(delegate);
        this.stats = stats;
        this.cpu = cpu;
    }

    public IoStats stats() {
        return stats;
    }

    /** Where the client's own work is reported (handshakes, records, decrypted and parsed bytes). */
    public UserCpuAccounting cpu() {
        return cpu;
    }

    @Override
    public SyscallReply invoke(SyscallRequest.Builder request) {
        cpu.beforeSyscall(charge);
        SyscallReply reply = super.invoke(request);
        cpu.afterSyscall();
        // a repeated call (the would-block loop run by the kernel) is every syscall it made: its steps, then the
        // call the reply answers, the sequence RepeatedCalls.forEach gives (read here without making a reply per step)
        for (int i = 0, n = reply.getStepsCount(); i < n; i++) {
            Step step = reply.getSteps(i);
            account(step.getCall() == NANOSLEEP, step.getEntryTimeNs(), step.getExitTimeNs());
        }
        account(RepeatedCalls.lastCall(request, reply) == SyscallRequest.CallCase.NANOSLEEP, reply.getEntryTimeNs(),
                reply.getExitTimeNs());
        return reply;
    }

    private void account(boolean sleep, long entryNs, long exitNs) {
        stats.syscall(entryNs, exitNs);
        if (sleep) {
            stats.sleep(exitNs - entryNs);
        }
    }

    @Override
    public void chargeUserCpu(UserCpuKind kind, long nanos) {
        super.chargeUserCpu(kind, nanos);
        stats.userCpu(kind, nanos);
    }
}
