package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.SyscallRequest;

import java.util.Locale;

/** Turns a syscall request into the task that carries it out, by family. */
final class Syscalls {
    private Syscalls() {
    }

    /** Each call's name by {@link SyscallRequest.CallCase} ordinal, lowercased once: it names every syscall's counter. */
    private static final String[] NAMES = names();

    private static String[] names() {
        SyscallRequest.CallCase[] cases = SyscallRequest.CallCase.values();
        String[] names = new String[cases.length];
        for (SyscallRequest.CallCase c : cases) {
            names[c.ordinal()] = c == SyscallRequest.CallCase.CALL_NOT_SET ? "none" : c.name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    static String name(SyscallRequest r) {
        return NAMES[r.getCallCase().ordinal()];
    }

    static SyscallTask create(SyscallRequest r, UserThreadProgram t, SyscallHost host) {
        long entry = host.settings().getLong(Settings.COST_SYSCALL_NS);
        switch (r.getCallCase()) {
            case SOCKET:
                return SocketCalls.socket(r.getSocket(), t, host);
            case CONNECT:
                return SocketCalls.connect(r.getConnect(), t, host);
            case CLOSE:
                return SocketCalls.close(r.getClose(), t, host);
            case SENDTO:
                return IoCalls.sendto(r.getSendto(), t, host);
            case RECVFROM:
                return IoCalls.recvfrom(r.getRecvfrom(), t, host);
            case NANOSLEEP:
                return SchedCalls.nanosleep(r.getNanosleep(), t, host);
            case SCHED_YIELD:
                return SchedCalls.schedYield(t, host);
            case EXIT:
                return SchedCalls.exit(r.getExit(), t, host);
            case CLOCK_GETTIME:
                return TimeCalls.clockGettime(r.getClockGettime(), t, host);
            case POLL:
                return PollCalls.poll(r.getPoll(), t, host);
            case OPENAT:
                return FileCalls.openat(r.getOpenat(), t, host);
            case READ:
                return FileCalls.read(r.getRead(), t, host);
            case WRITE:
                return FileCalls.write(r.getWrite(), t, host);
            case LSEEK:
                return FileCalls.lseek(r.getLseek(), t, host);
            case FSTAT:
                return FileCalls.fstat(r.getFstat(), t, host);
            case MKDIRAT:
                return FileCalls.mkdirat(r.getMkdirat(), t, host);
            case MMAP:
                return FileCalls.mmap(r.getMmap(), t, host);
            case MUNMAP:
                return FileCalls.munmap(r.getMunmap(), t, host);
            default:
                return now -> t.fail(Errno.ENOSYS, entry);
        }
    }
}
