package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.Fstat;
import io.testbed.kernel.api.v1.Lseek;
import io.testbed.kernel.api.v1.Mkdirat;
import io.testbed.kernel.api.v1.Mmap;
import io.testbed.kernel.api.v1.Munmap;
import io.testbed.kernel.api.v1.Openat;
import io.testbed.kernel.api.v1.Read;
import io.testbed.kernel.api.v1.Write;
import io.testbed.kernel.sim.fs.FileSystem;
import io.testbed.kernel.sim.fs.FsException;
import io.testbed.kernel.sim.fs.Inode;
import io.testbed.kernel.sim.fs.OpenFile;
import io.testbed.kernel.sim.fs.Paths;
import io.testbed.kernel.sim.sched.Step;

import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The file syscalls of FILE_ABI.md: openat, read, write, lseek, fstat, mkdirat (close is in
 * {@link SocketCalls}), the console (fd 1 and 2) and anonymous mmap/munmap. A file syscall takes the
 * machine's file-system lock, runs its operation on the {@link FileSystem} at once, then holds the
 * core for the operation's cost: synchronous, busy-waited virtio requests (Akuma src/block.rs), in
 * kernel steps of at most {@code fs.max_step_us} with IRQs on, so the timer may switch threads
 * between them while the lock stays held.
 */
final class FileCalls {
    private static final int S_IFCHR = 0020000;
    private static final int S_IFSOCK = 0140000;
    private static final int PAGE = 4096;

    private FileCalls() {
    }

    static SyscallTask openat(Openat req, UserThreadProgram t, SyscallHost host) {
        return locked(t, host, fs -> {
            List<String> path = Paths.resolve(base(req.getDirfd(), req.getPath(), t), req.getPath());
            if (!t.canInstallFile(fs.settings().maxOpenFiles())) {
                throw new FsException(Errno.EMFILE, "too many open files");
            }
            OpenFile f = fs.open(path, req.getFlags());
            int fd = t.installFile(f, fs.settings().maxOpenFiles());
            return cpu -> t.ok(fd, cpu);
        });
    }

    static SyscallTask mkdirat(Mkdirat req, UserThreadProgram t, SyscallHost host) {
        return locked(t, host, fs -> {
            fs.mkdir(Paths.resolve(base(req.getDirfd(), req.getPath(), t), req.getPath()));
            return cpu -> t.ok(0, cpu);
        });
    }

    static SyscallTask read(Read req, UserThreadProgram t, SyscallHost host) {
        if (req.getFd() == 0 && !t.isOpen(0)) {
            return now -> t.ok(0, host.settings().getLong(Settings.COST_SYSCALL_NS)); // no stdin: end of file
        }
        return locked(t, host, fs -> {
            OpenFile f = file(t, req.getFd());
            if (req.getLen() < 0) {
                throw new FsException(Errno.EINVAL, "negative length");
            }
            byte[] b = fs.read(f, req.getLen());
            return cpu -> t.okData(b, cpu + host.settings().copyCost(b.length));
        });
    }

    static SyscallTask write(Write req, UserThreadProgram t, SyscallHost host) {
        int fd = req.getFd();
        int n = req.getData().size();
        FileSystem fs0 = host.fileSystem();
        if ((fd == 1 || fd == 2) && !t.isOpen(fd)) {
            if (n > fs0.settings().maxWriteBytes()) {
                return now -> t.fail(Errno.EINVAL, host.settings().getLong(Settings.COST_SYSCALL_NS));
            }
            fs0.console(n); // one UART MMIO write per byte (src/console.rs:67-71)
            return timed(host, host.settings().getLong(Settings.COST_SYSCALL_NS) + n * fs0.settings().uartByteNs(), cpu -> t.ok(n, cpu));
        }
        return locked(t, host, fs -> {
            OpenFile f = file(t, fd);
            if (n > fs.settings().maxWriteBytes()) {
                throw new FsException(Errno.EINVAL, "more than fs.max_write_bytes in one write");
            }
            int written = fs.write(f, req.getData().toByteArray());
            return cpu -> t.ok(written, cpu + host.settings().copyCost(written));
        });
    }

    static SyscallTask lseek(Lseek req, UserThreadProgram t, SyscallHost host) {
        return locked(t, host, fs -> {
            int fd = req.getFd();
            if (t.socket(fd) != null || (fd >= 0 && fd <= 2 && !t.isOpen(fd))) {
                throw new FsException(Errno.ESPIPE, "not seekable");
            }
            long pos = fs.seek(file(t, fd), req.getOffset(), req.getWhence());
            return cpu -> t.ok(pos, cpu);
        });
    }

    static SyscallTask fstat(Fstat req, UserThreadProgram t, SyscallHost host) {
        int fd = req.getFd();
        long cost = host.settings().getLong(Settings.COST_SYSCALL_NS);
        if (fd >= 0 && fd <= 2 && !t.isOpen(fd)) {
            return now -> t.okStat(0, S_IFCHR | 0620, cost);
        }
        if (t.socket(fd) != null) {
            return now -> t.okStat(0, S_IFSOCK | 0777, cost);
        }
        return locked(t, host, fs -> {
            Inode in = fs.stat(file(t, fd));
            int mode = in.isDir() ? Errno.S_IFDIR | 0755 : Errno.S_IFREG | 0644;
            return cpu -> t.okStat(in.size(), mode, cpu);
        });
    }

    /**
     * Anonymous mmap: every page allocated and zeroed at once (src/syscall.rs:211-234 @7b52ac2), costing
     * {@code cost.page_zero_ns} each; no memory is really kept. ENOMEM past {@code mm.max_mapped_mb}.
     */
    static SyscallTask mmap(Mmap req, UserThreadProgram t, SyscallHost host) {
        long cost = host.settings().getLong(Settings.COST_SYSCALL_NS);
        FileSystem fs = host.fileSystem();
        long len = req.getLength();
        if (len <= 0) {
            return now -> t.fail(Errno.EINVAL, cost);
        }
        if (len > fs.settings().maxMappedBytes()) {
            return now -> t.fail(Errno.ENOMEM, cost);
        }
        long pages = (len + PAGE - 1) / PAGE;
        try {
            fs.map(pages * PAGE);
        } catch (FsException e) {
            return now -> t.fail(e.errno(), cost);
        }
        long addr = t.map(pages * PAGE);
        return timed(host, cost + pages * fs.settings().pageZeroNs(), cpu -> t.ok(addr, cpu));
    }

    /** munmap: a no-op that returns 0 at the seed (src/syscall.rs:243-258); with mm.munmap=free it gives the pages back. */
    static SyscallTask munmap(Munmap req, UserThreadProgram t, SyscallHost host) {
        long cost = host.settings().getLong(Settings.COST_SYSCALL_NS);
        return now -> {
            if (req.getAddr() == 0 || req.getLength() <= 0 || req.getAddr() % PAGE != 0) {
                return t.fail(Errno.EINVAL, cost);
            }
            FileSystem fs = host.fileSystem();
            if (!fs.settings().munmapFrees()) {
                return t.ok(0, cost);
            }
            long len = t.unmap(req.getAddr());
            if (len < 0) {
                return t.fail(Errno.EINVAL, cost);
            }
            fs.release(len);
            return t.ok(0, cost);
        };
    }

    // ---- helpers ----

    /** The directory a relative path starts from: "/" for AT_FDCWD, else an open directory fd. */
    private static List<String> base(int dirfd, String path, UserThreadProgram t) {
        if (path.startsWith("/") || dirfd == Errno.AT_FDCWD) {
            return List.of();
        }
        OpenFile d = t.file(dirfd);
        if (d == null) {
            throw new FsException(t.isOpen(dirfd) ? Errno.ENOTDIR : Errno.EBADF, "bad dirfd");
        }
        if (!d.isDir()) {
            throw new FsException(Errno.ENOTDIR, "dirfd is not a directory");
        }
        return d.path();
    }

    private static OpenFile file(UserThreadProgram t, int fd) {
        OpenFile f = t.file(fd);
        if (f == null) {
            throw new FsException(t.socket(fd) != null ? Errno.EOPNOTSUPP : Errno.EBADF,
                    t.socket(fd) != null ? "a socket: use recvfrom/sendto" : "bad file descriptor");
        }
        return f;
    }

    /**
     * A file-system syscall: spin (kernel steps of fs.max_step_us) while another thread holds the lock,
     * then run {@code op} at once and spend its cost; the lock is held until the last step.
     */
    private static SyscallTask locked(UserThreadProgram t, SyscallHost host, Function<FileSystem, LongFunction<Step>> op) {
        return new SyscallTask() {
            LongFunction<Step> finish;
            long remaining;

            @Override
            public Step step(long now) {
                FileSystem fs = host.fileSystem();
                long max = fs.settings().maxStepNs();
                int tid = t.thread().tid;
                if (finish == null) {
                    if (!fs.tryLock(tid)) {
                        fs.spun(max);
                        t.thread().fsNs += max;
                        return Step.cont(max);
                    }
                    long[] snap = fs.snapshot();
                    try {
                        finish = op.apply(fs);
                    } catch (FsException e) {
                        int errno = e.errno();
                        finish = cpu -> t.fail(errno, cpu);
                    }
                    long fsWork = fs.chargeSince(snap);
                    t.thread().fsNs += fsWork;
                    remaining = host.settings().getLong(Settings.COST_SYSCALL_NS) + fsWork;
                }
                if (remaining > max) {
                    remaining -= max;
                    return Step.cont(max);
                }
                fs.unlock(tid);
                return finish.apply(remaining);
            }
        };
    }

    /** Work of {@code total} ns without the lock (console, mmap), in kernel steps of at most fs.max_step_us. */
    private static SyscallTask timed(SyscallHost host, long total, LongFunction<Step> finish) {
        return new SyscallTask() {
            long remaining = total;

            @Override
            public Step step(long now) {
                long max = host.fileSystem().settings().maxStepNs();
                if (remaining > max) {
                    remaining -= max;
                    return Step.cont(max);
                }
                return finish.apply(remaining);
            }
        };
    }
}
