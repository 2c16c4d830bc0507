package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.SendTo;
import io.testbed.kernel.sim.net.socket.TcpSocket;
import io.testbed.kernel.sim.sched.Step;

/**
 * recvfrom and sendto as Akuma's {@code src/syscall.rs} does them. recvfrom checks the socket once
 * per iteration; if it is empty it counts, and at {@code syscall.eagain_iterations} (50) returns EAGAIN,
 * otherwise yields the core. It never polls the network itself: only the network thread moves
 * packets. It copies at most min(len, {@code syscall.recv_cap}) bytes, and a reset connection reads as
 * end of file (0). sendto moves {@code syscall.send_chunk}-byte chunks into the transmit buffer,
 * yielding while it is full.
 *
 * <p>With {@code sched.preempt_windows=on} each socket check runs as Akuma's {@code with_socket_handle}
 * does, with preemption and IRQs off (a tick during it waits and is then lost), a yield is followed by
 * the 100-iteration spin ({@code cost.yield_spin_ns}), and sendto ends with
 * {@code syscall.sendto_flush_polls} flush polls in one IRQ-off window followed by one switch
 * (src/syscall.rs:887-911).
 */
final class IoCalls {
    private IoCalls() {
    }

    static SyscallTask recvfrom(RecvFrom req, UserThreadProgram t, SyscallHost host) {
        return new SyscallTask() {
            TcpSocket s;
            int emptyChecks;

            @Override
            public Step step(long now) {
                long cost = host.settings().getLong(Settings.COST_SOCKET_CHECK_NS);
                if (s == null) {
                    cost += host.settings().getLong(Settings.COST_SYSCALL_NS);
                    s = t.socket(req.getFd());
                    if (s == null) {
                        return t.fail(Errno.EBADF, cost);
                    }
                    if (req.getLen() < 0) {
                        return t.fail(Errno.EINVAL, cost);
                    }
                    if (!host.networkUp(now)) {
                        return t.fail(Errno.ENETDOWN, cost);
                    }
                    switch (s.state) {
                        case CLOSED, SYN_PENDING, SYN_SENT, REFUSED -> {
                            return t.fail(Errno.ENOTCONN, cost);
                        }
                        default -> { }
                    }
                    if (req.getLen() == 0) {
                        return t.ok(0, cost);
                    }
                }
                cost += host.directPoll(now);
                if (!s.rx.isEmpty()) {
                    int n = Math.min(Math.min(req.getLen(), host.settings().getInt(Settings.SYSCALL_RECV_CAP)), s.rx.size());
                    byte[] bytes = s.rx.take(n);
                    host.kick(now); // the window opened
                    t.thread().polling(false, now);
                    return windowed(t.okData(bytes, cost + host.settings().copyCost(n)), host);
                }
                if (s.readable()) {
                    t.thread().polling(false, now);
                    return windowed(t.ok(0, cost), host); // FIN or reset: end of file
                }
                host.wouldBlock(now, t.thread());
                t.thread().polling(true, now);
                boolean dontWait = s.nonBlocking || (req.getFlags() & Errno.MSG_DONTWAIT) != 0;
                if (host.settings().irqWakeup()) {
                    // a real blocking socket: sleep until the interrupt handler brings data
                    if (dontWait) {
                        t.thread().polling(false, now);
                        return t.fail(Errno.EAGAIN, cost);
                    }
                    return Step.block(cost, Long.MAX_VALUE);
                }
                emptyChecks++;
                if ((req.getFlags() & Errno.MSG_DONTWAIT) != 0) {
                    t.thread().polling(false, now);
                    return windowed(t.fail(Errno.EAGAIN, cost), host);
                }
                if (emptyChecks >= host.settings().getInt(Settings.SYSCALL_EAGAIN_ITERATIONS)) {
                    t.thread().polling(false, now);
                    return windowed(t.fail(host.settings().is(Settings.SYSCALL_RECV_GIVEUP_ETIMEDOUT) ? Errno.ETIMEDOUT : Errno.EAGAIN, cost), host);
                }
                if (host.settings().is(Settings.SYSCALL_RECV_WAIT_WAKER)) {
                    // 8316ebe: register the waker, then schedule_blocking(now + 1 s): WAITING in a WFI loop
                    t.thread().blockedOnIo = true;
                    return windowed(Step.sleep(cost, now + cost + 1_000_000_000L), host);
                }
                return windowed(Step.yield(cost + spin(host)), host);
            }
        };
    }

    /** The step as one of Akuma's socket checks: preemption and IRQs off (when windows are modelled). */
    static Step windowed(Step step, SyscallHost host) {
        return host.settings().is(Settings.SCHED_PREEMPT_WINDOWS) && !host.settings().irqWakeup() ? step.irqsOff() : step;
    }

    /** The spin after a yield in Akuma's syscall loops (charged with the step before the yield). */
    static long spin(SyscallHost host) {
        return host.settings().irqWakeup() ? 0 : host.settings().getLong(Settings.COST_YIELD_SPIN_NS);
    }

    static SyscallTask sendto(SendTo req, UserThreadProgram t, SyscallHost host) {
        return new SyscallTask() {
            TcpSocket s;
            int copied;
            long started;
            boolean flushed;

            @Override
            public Step step(long now) {
                long cost = host.settings().getLong(Settings.COST_SOCKET_CHECK_NS);
                int total = req.getData().size();
                if (s == null) {
                    cost += host.settings().getLong(Settings.COST_SYSCALL_NS);
                    started = now;
                    s = t.socket(req.getFd());
                    if (s == null) {
                        return t.fail(Errno.EBADF, cost);
                    }
                    if (total > host.settings().getInt(Settings.SYSCALL_MAX_IO_BYTES)) {
                        return t.fail(Errno.EINVAL, cost);
                    }
                    if (!host.networkUp(now)) {
                        return t.fail(Errno.ENETDOWN, cost);
                    }
                    switch (s.state) {
                        case CLOSED, SYN_PENDING, SYN_SENT, REFUSED -> {
                            return t.fail(Errno.ENOTCONN, cost);
                        }
                        case RESET -> {
                            return t.fail(Errno.ECONNRESET, cost);
                        }
                        case FIN_WAIT, DONE -> {
                            return t.fail(Errno.EPIPE, cost);
                        }
                        default -> { }
                    }
                    if (total == 0) {
                        return t.ok(0, cost);
                    }
                }
                if (s.state == io.testbed.kernel.sim.net.socket.TcpState.RESET) {
                    return copied > 0 ? t.ok(copied, cost) : t.fail(Errno.ECONNRESET, cost);
                }
                cost += host.directPoll(now);
                int n = Math.min(Math.min(total - copied, host.settings().getInt(Settings.SYSCALL_SEND_CHUNK)), s.tx.free());
                if (n > 0) {
                    byte[] chunk = req.getData().substring(copied, copied + n).toByteArray();
                    s.tx.append(chunk, 0, n);
                    copied += n;
                    cost += host.settings().copyCost(n);
                    host.kick(now);
                }
                if (copied == total) {
                    int polls = host.settings().is(Settings.SCHED_PREEMPT_WINDOWS) ? host.settings().getInt(Settings.SYSCALL_SENDTO_FLUSH_POLLS) : 0;
                    if (polls > 0 && !flushed && !host.settings().irqWakeup()) {
                        // Akuma's 100 flush polls in one IRQ-off window; their yields only pend the SGI,
                        // so one switch follows the window
                        flushed = true;
                        return Step.yield(cost + polls * host.settings().getLong(Settings.COST_FLUSH_POLL_NS)).irqsOff();
                    }
                    return t.ok(total, flushed ? 0 : cost);
                }
                if (now - started >= host.settings().getLong(Settings.SYSCALL_SEND_TIMEOUT_NS)) {
                    return copied > 0 ? t.ok(copied, cost) : t.fail(Errno.ETIMEDOUT, cost);
                }
                if (n == 0) {
                    host.wouldBlock(now, t.thread());
                    if (s.nonBlocking || (req.getFlags() & Errno.MSG_DONTWAIT) != 0) {
                        return copied > 0 ? t.ok(copied, cost) : t.fail(Errno.EAGAIN, cost);
                    }
                }
                if (host.settings().irqWakeup()) {
                    return Step.block(cost, started + host.settings().getLong(Settings.SYSCALL_SEND_TIMEOUT_NS));
                }
                return windowed(Step.yield(cost + spin(host)), host);
            }
        };
    }
}
