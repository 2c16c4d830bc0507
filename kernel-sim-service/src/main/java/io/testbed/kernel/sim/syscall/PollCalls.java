package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.Poll;
import io.testbed.kernel.api.v1.PollFd;
import io.testbed.kernel.sim.net.socket.TcpSocket;
import io.testbed.kernel.sim.net.socket.TcpState;
import io.testbed.kernel.sim.sched.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * poll, for profiles that offer it ({@code syscall.poll=enabled}; Akuma at the seed's commit does not:
 * ENOSYS). With an interrupt-driven stack the caller sleeps until a socket event or the timeout; with a
 * polled stack it checks, yields and checks again until the timeout, like Akuma's other loops.
 */
final class PollCalls {
    static final int MAX_FDS = 64;
    static final int POLLNVAL = 32;
    /** The longest poll timeout accepted (one hour, as nanosleep); longer gets EINVAL. */
    static final int MAX_TIMEOUT_MS = 3_600_000;

    private PollCalls() {
    }

    static SyscallTask poll(Poll req, UserThreadProgram t, SyscallHost host) {
        return new SyscallTask() {
            long deadline = -2;

            @Override
            public Step step(long now) {
                long cost = host.settings().getLong(Settings.COST_SOCKET_CHECK_NS);
                if (deadline == -2) {
                    cost += host.settings().getLong(Settings.COST_SYSCALL_NS);
                    if (!host.settings().is(Settings.SYSCALL_POLL)) {
                        return t.fail(Errno.ENOSYS, cost);
                    }
                    if (req.getFdsCount() > MAX_FDS || req.getTimeoutMs() < -1 || req.getTimeoutMs() > MAX_TIMEOUT_MS) {
                        return t.fail(Errno.EINVAL, cost);
                    }
                    if (req.getTimeoutMs() < 0 && !canEverWake(req, t)) {
                        // an infinite wait nothing can end would hold the thread (and the machine) for ever
                        return t.fail(Errno.EINVAL, cost);
                    }
                    deadline = req.getTimeoutMs() < 0 ? Long.MAX_VALUE : now + req.getTimeoutMs() * 1_000_000L;
                }
                cost += host.directPoll(now);
                List<Integer> revents = new ArrayList<>();
                int ready = 0;
                for (PollFd fd : req.getFdsList()) {
                    int r = revents(t.socket(fd.getFd()), fd.getEvents());
                    revents.add(r);
                    if (r != 0) {
                        ready++;
                    }
                }
                if (ready > 0 || now >= deadline) {
                    t.setRevents(revents);
                    return t.ok(ready, cost);
                }
                host.wouldBlock(now, t.thread());
                if (host.settings().irqWakeup()) {
                    return Step.block(cost, deadline);
                }
                return Step.yield(cost);
            }
        };
    }

    /**
     * Whether an infinite poll could ever return: some fd is not open (POLLNVAL at once) or is a socket
     * with a connection, started or finished (data, a close or a reset can come). No fds, or only
     * sockets never connected, can never be woken.
     */
    static boolean canEverWake(Poll req, UserThreadProgram t) {
        for (PollFd fd : req.getFdsList()) {
            TcpSocket s = t.socket(fd.getFd());
            if (s == null || s.state != TcpState.CLOSED) {
                return true;
            }
        }
        return false;
    }

    private static int revents(TcpSocket s, int events) {
        if (s == null) {
            return POLLNVAL;
        }
        int r = 0;
        if ((events & Errno.POLLIN) != 0 && (!s.rx.isEmpty() || s.peerClosed())) {
            r |= Errno.POLLIN;
        }
        if ((events & Errno.POLLOUT) != 0 && s.canSend() && s.tx.free() > 0) {
            r |= Errno.POLLOUT;
        }
        if (s.state == TcpState.RESET || s.state == TcpState.REFUSED) {
            r |= Errno.POLLERR | Errno.POLLHUP;
        } else if (s.peerClosed()) {
            r |= Errno.POLLHUP;
        }
        return r;
    }
}
