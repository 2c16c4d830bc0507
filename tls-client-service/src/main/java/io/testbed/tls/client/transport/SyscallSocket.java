package io.testbed.tls.client.transport;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.v1.SyscallReply;
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
        int empty = 0;
        long idleSince = -1;
        while (true) {
            SyscallReply r = thread.recvfrom(fd, readSize, flags);
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
            stats().wouldBlock();
            empty++;
            if (idleSince < 0) {
                idleSince = r.getEntryTimeNs();
            }
            checkIdle(empty, idleSince, r.getExitTimeNs());
            policy.onWouldBlock(thread, fd, Errno.POLLIN, empty);
        }
    }

    private void checkIdle(int empty, long idleSince, long now) throws IdleTimeoutException {
        if (empty >= policy.idleTimeoutReads()) {
            throw new IdleTimeoutException(empty);
        }
        long bound = policy.idleTimeoutNs();
        long latest = Math.max(now, stats().lastExitNs());
        if (bound > 0 && latest - idleSince >= bound) {
            throw new IdleTimeoutException(empty, latest - idleSince, bound);
        }
    }

    /** Sends all of {@code data[off, off+len)}, waiting by the policy if the kernel says {@code EAGAIN}. */
    public void send(byte[] data, int off, int len) throws IOException {
        int empty = 0;
        long idleSince = -1;
        while (len > 0) {
            SyscallReply r = thread.sendto(fd, data, off, len, 0);
            if (r.getRet() > 0) {
                int n = (int) r.getRet();
                stats().sent(n);
                off += n;
                len -= n;
                empty = 0;
                idleSince = -1;
                continue;
            }
            int errno = r.getRet() == 0 ? Errno.EAGAIN : r.getErrno();
            if (errno == Errno.EINTR) {
                continue;
            }
            if (errno != Errno.EAGAIN) {
                throw new SyscallException("sendto", errno, null);
            }
            stats().wouldBlock();
            empty++;
            if (idleSince < 0) {
                idleSince = r.getEntryTimeNs();
            }
            checkIdle(empty, idleSince, r.getExitTimeNs());
            policy.onWouldBlock(thread, fd, Errno.POLLOUT, empty);
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
