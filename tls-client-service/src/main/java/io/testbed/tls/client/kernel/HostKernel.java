package io.testbed.tls.client.kernel;

import com.google.protobuf.ByteString;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Poll;
import io.testbed.kernel.api.v1.PollFd;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Kernel} whose syscalls are carried out on the host's real sockets, with the host's clock.
 * It is the "plain loopback socket" baseline: the same client code, the same syscall sequence, but
 * no simulated scheduler or network stack, so comparing a download here with one on a simulated
 * machine shows what the testbed adds. Reply entry/exit times are {@link System#nanoTime()}.
 *
 * <p>Simulated host names are resolved only through the name map given at construction
 * ({@code "git.testbed:443" -> 127.0.0.1:8443}); any other destination is refused with
 * {@code ECONNREFUSED}, as the kernel-sim's allow-list does. The machine id given to
 * {@link #attach} is ignored: there is only one "machine", the host.
 *
 * <p>recvfrom follows Akuma by default: with no data it returns {@code EAGAIN} whether or not the
 * socket is blocking (Akuma's sys_recvfrom yields a bounded number of times, then gives up), so the
 * client's would-block policy does the waiting, as on a simulated machine. With
 * {@code blockingRecv} a recvfrom on a blocking socket without {@code MSG_DONTWAIT} blocks as on
 * Linux. sendto and connect block on a blocking socket.
 */
public final class HostKernel implements Kernel {

    /** Largest recvfrom length served; a larger request is cut, as a kernel's socket buffer would. */
    public static final int MAX_RECV = 1 << 20;

    private final Map<String, InetSocketAddress> names;
    private final boolean blockingRecv;
    private final AtomicInteger nextTid = new AtomicInteger(1);

    /** Akuma's recvfrom: EAGAIN whenever there is no data. */
    public HostKernel(Map<String, InetSocketAddress> names) {
        this(names, false);
    }

    /**
     * @param names        {@code "host:port"} as the client asks for it -> the real address to connect to
     * @param blockingRecv whether recvfrom on a blocking socket without MSG_DONTWAIT waits for data (Linux)
     *                     instead of returning EAGAIN (Akuma)
     */
    public HostKernel(Map<String, InetSocketAddress> names, boolean blockingRecv) {
        Map<String, InetSocketAddress> copy = new HashMap<>();
        names.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), v));
        this.names = Map.copyOf(copy);
        this.blockingRecv = blockingRecv;
    }

    /** Parses {@code "git.testbed:443=127.0.0.1:8443"}-style entries (as a map) into a name map. */
    public static Map<String, InetSocketAddress> parseNames(Map<String, String> entries) {
        Map<String, InetSocketAddress> out = new HashMap<>();
        entries.forEach((from, to) -> {
            int colon = to.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("host kernel target '" + to + "' for '" + from + "' is not host:port");
            }
            out.put(from, InetSocketAddress.createUnresolved(to.substring(0, colon),
                    Integer.parseInt(to.substring(colon + 1))));
        });
        return out;
    }

    @Override
    public UserThread attach(String machineId, String threadName, String owner) {
        return new HostThread(nextTid.getAndIncrement());
    }

    @Override
    public void close() {
        // threads own their sockets
    }

    private final class HostThread implements UserThread {
        private final int tid;
        private final Map<Integer, HostSocket> fds = new HashMap<>();
        private int nextFd = 3;
        private boolean exited;

        HostThread(int tid) {
            this.tid = tid;
        }

        @Override
        public int tid() {
            return tid;
        }

        @Override
        public void chargeUserCpu(io.testbed.kernel.api.UserCpuKind kind, long nanos) {
            // the host's CPU is real: nothing to declare
        }

        @Override
        public SyscallReply invoke(SyscallRequest.Builder request) {
            if (exited) {
                throw new KernelException("host thread " + tid + " has exited");
            }
            long entry = System.nanoTime();
            SyscallReply.Builder reply = SyscallReply.newBuilder().setSeq(request.getSeq());
            try {
                handle(request, reply);
            } catch (IOException e) {
                reply.setRet(-1).setErrno(errnoOf(e));
            }
            return reply.setEntryTimeNs(entry).setExitTimeNs(System.nanoTime()).build();
        }

        private void handle(SyscallRequest.Builder request, SyscallReply.Builder reply) throws IOException {
            switch (request.getCallCase()) {
                case SOCKET -> socket(request, reply);
                case CONNECT -> connect(request, reply);
                case SENDTO -> sendto(request, reply);
                case RECVFROM -> recvfrom(request, reply);
                case CLOSE -> {
                    HostSocket s = fds.remove(request.getClose().getFd());
                    if (s == null) {
                        fail(reply, Errno.EBADF);
                    } else {
                        s.close();
                        reply.setRet(0);
                    }
                }
                case NANOSLEEP -> {
                    sleep(request.getNanosleep().getNs());
                    reply.setRet(0);
                }
                case SCHED_YIELD -> {
                    Thread.yield();
                    reply.setRet(0);
                }
                case CLOCK_GETTIME -> reply.setRet(request.getClockGettime().getClockId() == Errno.CLOCK_REALTIME
                        ? System.currentTimeMillis() * 1_000_000L : System.nanoTime());
                case POLL -> poll(request.getPoll(), reply);
                case EXIT -> {
                    exitAll();
                    reply.setRet(0);
                }
                default -> fail(reply, Errno.ENOSYS);
            }
        }

        private void socket(SyscallRequest.Builder request, SyscallReply.Builder reply) throws IOException {
            var s = request.getSocket();
            if (s.getDomain() != Errno.AF_INET) {
                fail(reply, Errno.EAFNOSUPPORT);
                return;
            }
            if ((s.getType() & ~Errno.SOCK_NONBLOCK) != Errno.SOCK_STREAM) {
                fail(reply, Errno.EPROTOTYPE);
                return;
            }
            if (s.getProtocol() != 0 && s.getProtocol() != Errno.IPPROTO_TCP) {
                fail(reply, Errno.EPROTONOSUPPORT);
                return;
            }
            int fd = nextFd++;
            fds.put(fd, new HostSocket((s.getType() & Errno.SOCK_NONBLOCK) != 0));
            reply.setRet(fd);
        }

        private void connect(SyscallRequest.Builder request, SyscallReply.Builder reply) throws IOException {
            var c = request.getConnect();
            HostSocket s = fds.get(c.getFd());
            if (s == null) {
                fail(reply, Errno.EBADF);
                return;
            }
            if (s.channel != null) {
                fail(reply, Errno.EISCONN);
                return;
            }
            InetSocketAddress target = names.get((c.getHost() + ":" + c.getPort()).toLowerCase(Locale.ROOT));
            if (target == null) {
                fail(reply, Errno.ECONNREFUSED);
                return;
            }
            s.open(new InetSocketAddress(target.getHostString(), target.getPort()));
            reply.setRet(0);
        }

        private void sendto(SyscallRequest.Builder request, SyscallReply.Builder reply) throws IOException {
            var m = request.getSendto();
            HostSocket s = connected(m.getFd(), reply);
            if (s == null) {
                return;
            }
            boolean dontWait = s.nonblocking || (m.getFlags() & Errno.MSG_DONTWAIT) != 0;
            ByteBuffer data = m.getData().asReadOnlyByteBuffer();
            int total = data.remaining();
            while (data.hasRemaining()) {
                if (s.channel.write(data) == 0) {
                    if (dontWait) {
                        break;
                    }
                    s.await(SelectionKey.OP_WRITE, -1);
                }
            }
            int sent = total - data.remaining();
            if (sent == 0 && total > 0) {
                fail(reply, Errno.EAGAIN);
            } else {
                reply.setRet(sent);
            }
        }

        private void recvfrom(SyscallRequest.Builder request, SyscallReply.Builder reply) throws IOException {
            var m = request.getRecvfrom();
            HostSocket s = connected(m.getFd(), reply);
            if (s == null) {
                return;
            }
            if (m.getLen() < 0) {
                fail(reply, Errno.EINVAL);
                return;
            }
            boolean dontWait = !blockingRecv || s.nonblocking || (m.getFlags() & Errno.MSG_DONTWAIT) != 0;
            ByteBuffer buf = ByteBuffer.allocate(Math.min(m.getLen(), MAX_RECV));
            while (true) {
                int n = s.channel.read(buf);
                if (n < 0) {
                    reply.setRet(0);
                    return;
                }
                if (n > 0 || buf.capacity() == 0) {
                    buf.flip();
                    reply.setRet(n).setData(ByteString.copyFrom(buf));
                    return;
                }
                if (dontWait) {
                    fail(reply, Errno.EAGAIN);
                    return;
                }
                s.await(SelectionKey.OP_READ, -1);
            }
        }

        private void poll(Poll poll, SyscallReply.Builder reply) throws IOException {
            long deadline = poll.getTimeoutMs() < 0 ? Long.MAX_VALUE
                    : System.nanoTime() + poll.getTimeoutMs() * 1_000_000L;
            try (Selector selector = Selector.open()) {
                int[] revents = new int[poll.getFdsCount()];
                while (true) {
                    int ready = 0;
                    for (int i = 0; i < poll.getFdsCount(); i++) {
                        PollFd p = poll.getFds(i);
                        HostSocket s = fds.get(p.getFd());
                        revents[i] = s == null ? 0 : s.readiness(p.getEvents(), selector);
                        if (revents[i] != 0) {
                            ready++;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (ready > 0 || left <= 0) {
                        for (int r : revents) {
                            reply.addRevents(r);
                        }
                        reply.setRet(ready);
                        return;
                    }
                    selector.select(Math.max(1, Math.min(left / 1_000_000L, 100)));
                }
            }
        }

        private HostSocket connected(int fd, SyscallReply.Builder reply) {
            HostSocket s = fds.get(fd);
            if (s == null) {
                fail(reply, Errno.EBADF);
                return null;
            }
            if (s.channel == null) {
                fail(reply, Errno.ENOTCONN);
                return null;
            }
            return s;
        }

        private void exitAll() {
            fds.values().forEach(HostSocket::close);
            fds.clear();
            exited = true;
        }

        @Override
        public void close() {
            if (!exited) {
                exitAll();
            }
        }
    }

    private static void fail(SyscallReply.Builder reply, int errno) {
        reply.setRet(-1).setErrno(errno);
    }

    private static void sleep(long nanos) {
        long deadline = System.nanoTime() + Math.max(0, nanos);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static int errnoOf(IOException e) {
        if (e instanceof ConnectException) {
            return Errno.ECONNREFUSED;
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return Errno.ETIMEDOUT;
        }
        if (e instanceof java.net.NoRouteToHostException) {
            return Errno.EHOSTUNREACH;
        }
        if (e instanceof java.net.UnknownHostException) {
            return Errno.ECONNREFUSED;
        }
        if (e instanceof ClosedChannelException) {
            return Errno.EBADF;
        }
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("reset")) {
            return Errno.ECONNRESET;
        }
        if (msg.contains("broken pipe")) {
            return Errno.EPIPE;
        }
        if (e instanceof SocketException && msg.contains("unreachable")) {
            return Errno.ENETUNREACH;
        }
        return Errno.ECONNRESET;
    }

    /** One host socket: a non-blocking channel plus a selector used only to wait for blocking calls. */
    private static final class HostSocket {
        final boolean nonblocking;
        SocketChannel channel;
        Selector selector;

        HostSocket(boolean nonblocking) {
            this.nonblocking = nonblocking;
        }

        void open(InetSocketAddress target) throws IOException {
            SocketChannel ch = SocketChannel.open();
            try {
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(target);
                ch.configureBlocking(false);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            channel = ch;
        }

        void await(int op, long timeoutMs) throws IOException {
            if (selector == null) {
                selector = Selector.open();
                channel.register(selector, op);
            } else {
                channel.keyFor(selector).interestOps(op);
            }
            selector.selectedKeys().clear();
            if (timeoutMs < 0) {
                selector.select();
            } else {
                selector.select(Math.max(1, timeoutMs));
            }
        }

        int readiness(int events, Selector pollSelector) throws IOException {
            if (channel == null) {
                return Errno.POLLHUP;
            }
            SelectionKey key = channel.keyFor(pollSelector);
            int ops = ((events & Errno.POLLIN) != 0 ? SelectionKey.OP_READ : 0)
                    | ((events & Errno.POLLOUT) != 0 ? SelectionKey.OP_WRITE : 0);
            if (key == null) {
                key = channel.register(pollSelector, ops);
            }
            pollSelector.selectNow();
            int r = 0;
            if (key.isValid() && pollSelector.selectedKeys().contains(key)) {
                if ((events & Errno.POLLIN) != 0 && key.isReadable()) {
                    r |= Errno.POLLIN;
                }
                if ((events & Errno.POLLOUT) != 0 && key.isWritable()) {
                    r |= Errno.POLLOUT;
                }
            }
            pollSelector.selectedKeys().remove(key);
            return r;
        }

        void close() {
            try {
                if (selector != null) {
                    selector.close();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing a host socket cannot usefully fail
            }
        }
    }
}
