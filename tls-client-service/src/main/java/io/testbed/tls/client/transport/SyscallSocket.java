package io.testbed.tls.client.transport;

import com.google.protobuf.ByteString;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.RepeatedCalls;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.v1.SendTo;
import io.testbed.kernel.api.v1.Step;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.tls.client.policy.WouldBlockPolicy;

import java.io.Closeable;
import java.io.IOException;

/**
 * A TCP socket made of syscalls on one simulated user thread: the transport under every TLS engine,
 * shaped as Akuma's {@code TcpTransport}. A read is one {@code recvfrom} of at most {@code readSize}
 * bytes (Akuma: 4096); when it returns {@code EAGAIN} the {@link WouldBlockPolicy} decides how to
 * wait, and after {@link WouldBlockPolicy#idleTimeoutReads()} consecutive empty reads the read fails
 * with {@link IdleTimeoutException}, as Akuma's scratch gives up after 500 x 10 ms; a policy may
 * bound the idle time instead ({@link WouldBlockPolicy#idleTimeoutNs()}), measured from the first
 * empty read's entry to the latest syscall's exit on the kernel's clock.
 *
 * <p>Everything received is TLS; the socket follows the record headers ({@link TlsRecordCounter})
 * so every engine reports records and record sizes alike, and tells the CPU accounting.
 *
 * <p>The socket is created blocking and connected with a blocking {@code connect}; reads pass the
 * policy's flags (0 by default, as Akuma: its kernel returns {@code EAGAIN} after a yield loop even
 * on a blocking socket). Every figure goes to the download's {@link IoStats} through the
 * {@link AccountingThread}.
 */
public final class SyscallSocket implements Closeable {

    public static final int DEFAULT_READ_SIZE = 4096;
    /**
     * The most EAGAINs one kernel-run loop waits through before answering (the kernel allows
     * {@link RepeatedCalls#MAX_WOULD_BLOCKS}): the client's figures (would-blocks, sleeps) then lag the
     * kernel by at most this many waits, which keeps a live download's progress fresh.
     */
    static final int MAX_REPEATED_WOULD_BLOCKS = 1024;

    private final AccountingThread thread;
    private final WouldBlockPolicy policy;
    private final int readSize;
    private final int fd;
    private final TlsRecordCounter records;
    private boolean closed;
    private boolean eof;

    private SyscallSocket(AccountingThread thread, WouldBlockPolicy policy, int readSize, int fd) {
        this.thread = thread;
        this.policy = policy;
        this.readSize = readSize;
        this.fd = fd;
        this.records = new TlsRecordCounter(thread.stats()::tlsRecord);
    }

    /** The socket's file descriptor on the simulated machine. */
    public int fd() {
        return fd;
    }

    /** socket() + connect() to {@code host:port} as the simulated machine names it. */
    public static SyscallSocket connect(AccountingThread thread, String host, int port,
                                        WouldBlockPolicy policy, int readSize) throws IOException {
        if (readSize < 1) {
            throw new IllegalArgumentException("readSize must be positive");
        }
        SyscallReply s = thread.socket(Errno.AF_INET, Errno.SOCK_STREAM, Errno.IPPROTO_TCP);
        if (s.getRet() < 0) {
            throw new SyscallException("socket", s.getErrno(), null);
        }
        int fd = (int) s.getRet();
        SyscallReply c = thread.connect(fd, host, port);
        if (c.getRet() < 0) {
            thread.close(fd);
            throw new SyscallException("connect", c.getErrno(), host + ":" + port);
        }
        return new SyscallSocket(thread, policy, readSize, fd);
    }

    public AccountingThread thread() {
        return thread;
    }

    public IoStats stats() {
        return thread.stats();
    }

    /**
     * Reads once: returns up to {@code readSize} bytes, or {@code null} at end of stream. Waits by the
     * policy while the kernel says {@code EAGAIN}.
     */
    public byte[] recv() throws IOException {
        if (eof) {
            return null;
        }
        int flags = policy.recvFlags();
        Idle idle = new Idle();
        while (true) {
            SyscallReply r = call(SyscallRequest.newBuilder().setRecvfrom(
                    RecvFrom.newBuilder().setFd(fd).setLen(readSize).setFlags(flags)), Errno.POLLIN, idle);
            if (r == null) {
                continue;
            }
            if (r.getRet() > 0) {
                byte[] data = r.getData().toByteArray();
                stats().read(data.length);
                int completed = records.feed(data, 0, data.length);
                if (completed > 0) {
                    thread.cpu().records(completed);
                }
                return data;
            }
            if (r.getRet() == 0) {
                stats().read(0);
                eof = true;
                return null;
            }
            if (r.getErrno() == Errno.EINTR) {
                continue;
            }
            if (r.getErrno() != Errno.EAGAIN) {
                throw new SyscallException("recvfrom", r.getErrno(), null);
            }
            idle.wouldBlock(r.getEntryTimeNs(), Math.max(r.getExitTimeNs(), stats().lastExitNs()));
            policy.onWouldBlock(thread, fd, Errno.POLLIN, idle.empty);
        }
    }

    /** Sends all of {@code data[off, off+len)}, waiting by the policy if the kernel says {@code EAGAIN}. */
    public void send(byte[] data, int off, int len) throws IOException {
        Idle idle = new Idle();
        while (len > 0) {
            SyscallReply r = call(SyscallRequest.newBuilder().setSendto(SendTo.newBuilder().setFd(fd)
                    .setData(ByteString.copyFrom(data, off, len)).setFlags(0)), Errno.POLLOUT, idle);
            if (r == null) {
                continue;
            }
            if (r.getRet() > 0) {
                int n = (int) r.getRet();
                stats().sent(n);
                off += n;
                len -= n;
                idle = new Idle();
                continue;
            }
            int errno = r.getRet() == 0 ? Errno.EAGAIN : r.getErrno();
            if (errno == Errno.EINTR) {
                continue;
            }
            if (errno != Errno.EAGAIN) {
                throw new SyscallException("sendto", errno, null);
            }
            idle.wouldBlock(r.getEntryTimeNs(), Math.max(r.getExitTimeNs(), stats().lastExitNs()));
            policy.onWouldBlock(thread, fd, Errno.POLLOUT, idle.empty);
        }
    }

    /**
     * One recvfrom or sendto, with the policy's would-block loop run by the kernel when it can
     * ({@link #repeats()}): the loop's {@code EAGAIN}s are counted and bounded here exactly as when the
     * client loops itself. Returns the call's answer, or null when the loop ended on a failed wait that
     * the policy accepts (call again).
     */
    private SyscallReply call(SyscallRequest.Builder request, int events, Idle idle) throws IOException {
        RepeatOnWouldBlock.Builder repeat = RepeatOnWouldBlock.newBuilder();
        if (!repeats() || !policy.repeatable(fd, events, repeat)) {
            return thread.invoke(request);
        }
        int budget = policy.idleTimeoutReads() - idle.empty;
        request.setRepeat(repeat.setMaxWouldBlocks(Math.min(budget, MAX_REPEATED_WOULD_BLOCKS))
                .setIdleSinceNs(idle.since).setIdleBoundNs(policy.idleTimeoutNs()));
        SyscallReply r = thread.invoke(request);
        for (Step step : r.getStepsList()) {
            if (step.getCall() == request.getCallCase().getNumber()) {
                idle.wouldBlock(step.getEntryTimeNs(), step.getExitTimeNs());
            }
        }
        if (RepeatedCalls.lastCall(request, r) != request.getCallCase()) {
            policy.waitFailed(r);
            return null;
        }
        return r;
    }

    /**
     * Whether the kernel runs the would-block loop: it can, and the client declares no userspace time
     * between the loop's calls that could differ (a deterministic CPU accounting charges none there; a
     * measured one would charge the few microseconds of its own loop, so it keeps the loop).
     */
    private boolean repeats() {
        return thread.repeatsOnWouldBlock() && thread.cpu().deterministic();
    }

    /** Consecutive empty answers of one read or send, and since when (the first one's entry). */
    private final class Idle {
        int empty;
        long since = -1;

        /**
         * Counts an {@code EAGAIN} that entered at {@code entryNs} and fails with {@link IdleTimeoutException}
         * at the policy's bound, judged at {@code latestNs} (the EAGAIN's exit; for the last call, the
         * latest exit the thread has seen). The steps of a repeated call are judged at their own exits, as
         * the client judged them when it looped itself.
         */
        void wouldBlock(long entryNs, long latestNs) throws IdleTimeoutException {
            stats().wouldBlock();
            empty++;
            if (since < 0) {
                since = entryNs;
            }
            checkIdle(empty, since, latestNs);
        }
    }

    private void checkIdle(int empty, long idleSince, long latest) throws IdleTimeoutException {
        if (empty >= policy.idleTimeoutReads()) {
            throw new IdleTimeoutException(empty);
        }
        long bound = policy.idleTimeoutNs();
        if (bound > 0 && latest - idleSince >= bound) {
            throw new IdleTimeoutException(empty, latest - idleSince, bound);
        }
    }

    /**
     * Whether the peer reset the connection: a zero-length {@code sendto} that returns
     * {@code ECONNRESET}. Akuma's recvfrom reads a reset connection as end of file, so this probe is
     * the only way to tell a reset from a close; the client makes it only after a response ended
     * early, never on a download that goes well.
     */
    public boolean peerReset() {
        if (closed) {
            return false;
        }
        try {
            SyscallReply r = thread.sendto(fd, new byte[0], 0, 0, 0);
            return r.getRet() < 0 && r.getErrno() == Errno.ECONNRESET;
        } catch (KernelException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                thread.close(fd);
            } catch (KernelException e) {
                // the kernel is gone; the error that matters was (or will be) raised by a real call
            }
        }
    }
}
