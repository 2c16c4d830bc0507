package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.config.Settings;
import com.google.protobuf.ByteString;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.fs.FileSystem;
import io.testbed.kernel.sim.fs.OpenFile;
import io.testbed.kernel.sim.net.socket.TcpSocket;
import io.testbed.kernel.sim.sched.SimThread;
import io.testbed.kernel.sim.sched.Step;
import io.testbed.kernel.sim.sched.ThreadProgram;

import java.util.Map;
import java.util.TreeMap;

/**
 * A user thread driven by a client: it alternates between userspace (the declared
 * {@code user_cpu_ns}, on the virtual clock) and one syscall at a time. It owns the thread's file
 * descriptors (one process per thread: a download is one simulated process): one table for sockets and
 * open files, lowest free number from 3 (0-2 are the console), and its anonymous mappings.
 */
public final class UserThreadProgram implements ThreadProgram {
    /**
     * The most userspace CPU a request may declare ({@code user_cpu_ns}), one hour like nanosleep's
     * bound: more, or a negative value, makes the syscall fail with EINVAL without running userspace
     * (an unbounded value made one request simulate for ever, and 2^63-1 overflowed the clock). So does
     * a TLS or pack part ({@code user_cpu_tls_ns}, {@code user_cpu_pack_ns}) below 0, or the two above the whole.
     */
    public static final long MAX_USER_CPU_NS = 3_600_000_000_000L;
    private final SyscallHost host;
    private final ReplySink sink;
    private final boolean virtualClock;
    private final Map<Integer, Object> fds = new TreeMap<>();
    private final Map<Long, Long> mappings = new TreeMap<>();
    private long nextMapping = MMAP_BASE;
    private int sockets;
    private int files;
    SimThread thread;

    private SyscallRequest pending;
    private long userRemaining;
    private SyscallTask task;
    private String callName;
    private long entryTime;
    private long seq;
    private long ret;
    private int errno;
    private ByteString data = ByteString.EMPTY;
    private java.util.List<Integer> revents = java.util.List.of();
    private long stSize;
    private int stMode;
    private boolean exited;
    private boolean badUserCpu;
    private long deliveries;

    /** Where this process's anonymous mappings start (one address space per thread). */
    static final long MMAP_BASE = 0x1000_0000L;

    public UserThreadProgram(SyscallHost host, ReplySink sink, boolean virtualClock) {
        this.host = host;
        this.sink = sink;
        this.virtualClock = virtualClock;
    }

    public void bind(SimThread thread) {
        this.thread = thread;
    }

    public SimThread thread() {
        return thread;
    }

    public ReplySink sink() {
        return sink;
    }

    /** Whether a syscall is queued or running. */
    public boolean busy() {
        return pending != null || task != null;
    }

    /** The client's next syscall arrives. */
    public void deliver(SyscallRequest request) {
        pending = request;
        deliveries++;
        long declared = request.getUserCpuNs();
        long tls = request.getUserCpuTlsNs();
        long pack = request.getUserCpuPackNs();
        // the TLS and pack parts are parts of the whole: each >= 0, together <= user_cpu_ns (no overflow: declared - pack)
        badUserCpu = declared < 0 || declared > MAX_USER_CPU_NS || tls < 0 || pack < 0 || tls > declared - pack;
        userRemaining = virtualClock && !badUserCpu ? declared : 0;
        if (userRemaining > 0 && thread != null) {
            thread.declareUserCpu(tls, pack);
        }
    }

    @Override
    public Step next(long now) {
        if (task != null) {
            return task.step(now);
        }
        if (pending == null) {
            return null;
        }
        if (userRemaining > 0) {
            long u = userRemaining;
            userRemaining = 0;
            return Step.user(u);
        }
        SyscallRequest r = pending;
        pending = null;
        seq = r.getSeq();
        entryTime = now;
        ret = 0;
        errno = 0;
        data = ByteString.EMPTY;
        revents = java.util.List.of();
        stSize = 0;
        stMode = 0;
        callName = Syscalls.name(r);
        if (badUserCpu) {
            badUserCpu = false;
            long cost = host.settings().getLong(Settings.COST_SYSCALL_NS);
            task = n -> fail(io.testbed.kernel.api.Errno.EINVAL, cost);
        } else {
            task = Syscalls.create(r, this, host);
        }
        return task.step(now);
    }

    @Override
    public void preempted(long unusedNs) {
        userRemaining += unusedNs;
    }

    @Override
    public void returned(long now) {
        host.syscallReturned(now, thread, callName, ret, errno);
        SyscallReply reply = SyscallReply.newBuilder()
                .setSeq(seq).setRet(ret).setErrno(errno).setData(data)
                .setEntryTimeNs(entryTime).setExitTimeNs(now).addAllRevents(revents)
                .setStSize(stSize).setStMode(stMode).build();
        task = null;
        sink.reply(reply);
        if (exited) {
            sink.ended("exit");
        }
    }

    // ---- results, set by tasks before their final step ----

    Step ok(long ret, long cpuNs) {
        this.ret = ret;
        this.errno = 0;
        return Step.returnToUser(cpuNs);
    }

    Step okData(byte[] bytes, long cpuNs) {
        this.data = ByteString.copyFrom(bytes);
        return ok(bytes.length, cpuNs);
    }

    Step fail(int errno, long cpuNs) {
        this.ret = -1;
        this.errno = errno;
        return Step.returnToUser(cpuNs);
    }

    Step exit(int code, long cpuNs) {
        this.ret = code;
        this.exited = true;
        return Step.exit(cpuNs);
    }

    Step okStat(long size, int mode, long cpuNs) {
        this.stSize = size;
        this.stMode = mode;
        return ok(0, cpuNs);
    }

    void setRevents(java.util.List<Integer> revents) {
        this.revents = revents;
    }

    /** How many syscalls the client has handed this thread: identifies the one in flight. */
    public long deliveries() {
        return deliveries;
    }

    /** The name of the syscall in flight (or queued), for the watchdog's message. */
    public String pendingName() {
        return pending != null ? Syscalls.name(pending) : callName;
    }

    /** Since when (simulated) the current syscall runs, or -1 when the thread is not in a syscall. */
    public long syscallEntryTime() {
        return task == null ? -1 : entryTime;
    }

    long entryTime() {
        return entryTime;
    }

    // ---- file descriptors ----

    /** The lowest free fd from 3, as POSIX requires, or -1 at the per-process socket limit. */
    int installFd(TcpSocket s) {
        if (sockets >= host.settings().getInt(Settings.SOCKET_MAX_PER_PROCESS)) {
            return -1;
        }
        sockets++;
        return install(s);
    }

    /** Whether another file may be opened under {@code fs.max_open_files}. */
    boolean canInstallFile(int maxOpenFiles) {
        return files < maxOpenFiles;
    }

    /** The lowest free fd from 3 for an open file, or -1 at {@code fs.max_open_files}. */
    int installFile(OpenFile f, int maxOpenFiles) {
        if (files >= maxOpenFiles) {
            return -1;
        }
        files++;
        return install(f);
    }

    private int install(Object o) {
        int fd = 3;
        while (fds.containsKey(fd)) {
            fd++;
        }
        fds.put(fd, o);
        return fd;
    }

    TcpSocket socket(int fd) {
        return fds.get(fd) instanceof TcpSocket s ? s : null;
    }

    /** The socket behind an fd of this thread, or null (also for a file). */
    public TcpSocket socketOf(int fd) {
        return socket(fd);
    }

    /** The open file behind an fd, or null (also for a socket). */
    OpenFile file(int fd) {
        return fds.get(fd) instanceof OpenFile f ? f : null;
    }

    /** Whether an fd of this thread is open (socket or file). */
    boolean isOpen(int fd) {
        return fds.containsKey(fd);
    }

    /** Removes a socket's fd; a file's fd stays (use {@link #removeAny}). */
    TcpSocket removeFd(int fd) {
        TcpSocket s = socket(fd);
        if (s != null) {
            fds.remove(fd);
            sockets--;
        }
        return s;
    }

    /** Removes whatever an fd holds: a socket, an open file, or null. */
    Object removeAny(int fd) {
        Object o = fds.remove(fd);
        if (o instanceof TcpSocket) {
            sockets--;
        } else if (o instanceof OpenFile) {
            files--;
        }
        return o;
    }

    // ---- anonymous mappings ----

    /** Records a mapping of {@code bytes} (whole pages) and returns its address. */
    long map(long bytes) {
        long addr = nextMapping;
        nextMapping += bytes;
        mappings.put(addr, bytes);
        return addr;
    }

    /** Forgets the mapping that starts at {@code addr}; its length, or -1 if there is none. */
    long unmap(long addr) {
        Long len = mappings.remove(addr);
        return len == null ? -1 : len;
    }

    /** Whether any of its sockets has data to read or has reached end of file (its waker would fire). */
    public boolean anySocketReady() {
        for (Object o : fds.values()) {
            if (o instanceof TcpSocket s && (!s.rx.isEmpty() || s.readable())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The thread died: reset every socket it holds, close its files, give its mappings back and release
     * the file-system lock if it held it (a process's memory goes with it).
     */
    public void abortSockets() {
        for (Object o : fds.values()) {
            if (o instanceof TcpSocket s) {
                host.network().abort(s);
            }
        }
        fds.clear();
        sockets = 0;
        files = 0;
        FileSystem fs = host.fileSystem();
        long mapped = 0;
        for (long len : mappings.values()) {
            mapped += len;
        }
        mappings.clear();
        fs.release(mapped);
        if (thread != null) {
            fs.unlock(thread.tid);
        }
    }
}
