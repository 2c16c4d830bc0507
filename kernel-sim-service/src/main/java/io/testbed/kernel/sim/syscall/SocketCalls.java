package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.Close;
import io.testbed.kernel.api.v1.Connect;
import io.testbed.kernel.api.v1.Socket;
import io.testbed.kernel.sim.net.socket.TcpSocket;
import io.testbed.kernel.sim.sched.Step;

/**
 * socket, connect, close (of a socket or a file) with Akuma's semantics: AF_INET stream sockets only, ENETDOWN until the
 * network is up, and a connect that yields until the handshake ends (ECONNREFUSED on RST, ETIMEDOUT
 * after {@code syscall.connect_timeout_ms}).
 */
final class SocketCalls {
    private static final int TYPE_FLAGS = Errno.SOCK_NONBLOCK | 02000000; // SOCK_NONBLOCK | SOCK_CLOEXEC

    private SocketCalls() {
    }

    static SyscallTask socket(Socket req, UserThreadProgram t, SyscallHost host) {
        return now -> {
            long cost = host.settings().getLong(Settings.COST_SYSCALL_NS);
            if (req.getDomain() != Errno.AF_INET) {
                return t.fail(Errno.EAFNOSUPPORT, cost);
            }
            if ((req.getType() & ~TYPE_FLAGS) != Errno.SOCK_STREAM) {
                return t.fail(Errno.EPROTONOSUPPORT, cost);
            }
            if (req.getProtocol() != 0 && req.getProtocol() != Errno.IPPROTO_TCP) {
                return t.fail(Errno.EPROTONOSUPPORT, cost);
            }
            if (!host.networkUp(now)) {
                return t.fail(Errno.ENETDOWN, cost);
            }
            TcpSocket s = host.network().open(t.thread().tid, (req.getType() & Errno.SOCK_NONBLOCK) != 0);
            if (s == null) {
                return t.fail(Errno.ENFILE, cost);
            }
            int fd = t.installFd(s);
            if (fd < 0) {
                host.network().abort(s);
                return t.fail(Errno.EMFILE, cost);
            }
            return t.ok(fd, cost);
        };
    }

    private static final java.util.regex.Pattern HOST_NAME = java.util.regex.Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /**
     * Whether connect's host is exactly a host name (letters, digits and hyphens in dot-separated labels
     * of at most 63, 253 in all; dotted IPv4 is such a name) or an IPv6 literal. Nothing is trimmed:
     * a control character, a space, a trailing dot or any other byte makes it EINVAL, before the
     * allow-list is asked.
     */
    static boolean validHost(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return IPV6.matcher(host).matches();
        }
        return HOST_NAME.matcher(host).matches();
    }

    static SyscallTask connect(Connect req, UserThreadProgram t, SyscallHost host) {
        return new SyscallTask() {
            TcpSocket s;

            @Override
            public Step step(long now) {
                long cost = host.settings().getLong(Settings.COST_SOCKET_CHECK_NS);
                if (s == null) {
                    cost += host.settings().getLong(Settings.COST_SYSCALL_NS);
                    s = t.socket(req.getFd());
                    if (s == null) {
                        return t.fail(Errno.EBADF, cost);
                    }
                    if (req.getPort() < 1 || req.getPort() > 65535 || !validHost(req.getHost())) {
                        return t.fail(Errno.EINVAL, cost);
                    }
                    if (!host.networkUp(now)) {
                        return t.fail(Errno.ENETDOWN, cost);
                    }
                    switch (s.state) {
                        case CLOSED -> {
                            host.network().connect(s, req.getHost(), req.getPort());
                            host.kick(now);
                        }
                        case SYN_PENDING, SYN_SENT -> {
                            return t.fail(Errno.EALREADY, cost);
                        }
                        case ESTABLISHED, CLOSE_WAIT -> {
                            return t.fail(Errno.EISCONN, cost);
                        }
                        default -> {
                            return t.fail(Errno.EINVAL, cost);
                        }
                    }
                    if (s.nonBlocking) {
                        return t.fail(Errno.EINPROGRESS, cost);
                    }
                }
                cost += host.directPoll(now);
                switch (s.state) {
                    case ESTABLISHED, CLOSE_WAIT:
                        return t.ok(0, cost);
                    case REFUSED:
                        return t.fail(Errno.ECONNREFUSED, cost);
                    case RESET:
                        return t.fail(Errno.ECONNRESET, cost);
                    default:
                        if (now - s.connectStartedAt >= host.settings().getLong(Settings.SYSCALL_CONNECT_TIMEOUT_NS)) {
                            host.network().close(s);
                            return t.fail(Errno.ETIMEDOUT, cost);
                        }
                        if (host.settings().irqWakeup()) {
                            return Step.block(cost, s.connectStartedAt + host.settings().getLong(Settings.SYSCALL_CONNECT_TIMEOUT_NS));
                        }
                        return Step.yield(cost);
                }
            }
        };
    }

    static SyscallTask close(Close req, UserThreadProgram t, SyscallHost host) {
        return now -> {
            long cost = host.settings().getLong(Settings.COST_SYSCALL_NS);
            Object o = t.removeAny(req.getFd());
            if (o instanceof io.testbed.kernel.sim.fs.OpenFile) {
                host.fileSystem().closed(); // no I/O for a file (Akuma src/syscall.rs:1078-1081)
                return t.ok(0, cost);
            }
            if (o == null) {
                // Akuma never really closes stdio (1083-1086)
                return req.getFd() >= 0 && req.getFd() <= 2 ? t.ok(0, cost) : t.fail(Errno.EBADF, cost);
            }
            TcpSocket s = (TcpSocket) o;
            host.network().close(s);
            host.kick(now);
            return t.ok(0, cost);
        };
    }
}
