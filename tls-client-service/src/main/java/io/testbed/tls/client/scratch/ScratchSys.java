package io.testbed.tls.client.scratch;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.tls.client.cpu.UserCpuAccounting;
import io.testbed.tls.client.transport.AccountingThread;
import io.testbed.tls.client.transport.SyscallException;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The scratch client's non-network syscalls as libakuma makes them: {@code open} = openat(AT_FDCWD,
 * path, flags, 0644), {@code read_fd}, {@code write_fd}, {@code close}, {@code mkdir} =
 * mkdirat(AT_FDCWD, path, 0755), {@code print} = write(1, text) (libakuma/src/lib.rs:798), and
 * mmap/munmap for the allocations that matter. Each call is counted ({@link Figures}) and, when a
 * trace consumer is given, described in one line ({@code openat <path> <flags>}, {@code write <fd>
 * <bytes>}, ...) for tests that compare the sequence with Akuma's code order.
 */
public final class ScratchSys {
    /** Flags of a file opened for writing by scratch: O_WRONLY | O_CREAT | O_TRUNC. */
    public static final int WRITE_FLAGS = Errno.O_WRONLY | Errno.O_CREAT | Errno.O_TRUNC;
    static final int STDOUT = 1;
    private static final int FILE_MODE = 0644;
    private static final int DIR_MODE = 0755;

    private final AccountingThread thread;
    private final Consumer<String> trace;
    private final Figures figures = new Figures();

    /** @param trace told one line per syscall made here, or null */
    public ScratchSys(AccountingThread thread, Consumer<String> trace) {
        this.thread = thread;
        this.trace = trace;
    }

    public AccountingThread thread() {
        return thread;
    }

    public UserCpuAccounting cpu() {
        return thread.cpu();
    }

    public Figures figures() {
        return figures;
    }

    /** A marker in the trace (a phase, a connection), no syscall. */
    void mark(String line) {
        if (trace != null) {
            trace.accept("# " + line);
        }
    }

    /** open(path, flags): the fd, or -errno. */
    int open(String path, int flags) {
        SyscallReply r = thread.openat(Errno.AT_FDCWD, path, flags, FILE_MODE);
        file(r);
        figures.opens++;
        trace("openat " + path + " " + flagNames(flags) + (r.getRet() < 0 ? " = " + Errno.name(r.getErrno()) : ""));
        return r.getRet() < 0 ? -r.getErrno() : (int) r.getRet();
    }

    /** read_fd(fd, buf of len): the bytes read (empty at end of file or on error, as {@code n <= 0}). */
    byte[] read(int fd, int len) {
        SyscallReply r = thread.read(fd, len);
        file(r);
        figures.reads++;
        byte[] data = r.getRet() > 0 ? r.getData().toByteArray() : new byte[0];
        figures.bytesRead += data.length;
        trace("read " + len + " = " + (r.getRet() < 0 ? Errno.name(r.getErrno()) : String.valueOf(data.length)));
        return data;
    }

    /** write_fd(fd, data): the bytes written, or -errno. */
    long write(int fd, byte[] data, int off, int len) {
        SyscallReply r = thread.write(fd, data, off, len);
        file(r);
        figures.writes++;
        if (r.getRet() > 0) {
            figures.bytesWritten += r.getRet();
        }
        trace("write " + len + (r.getRet() < 0 ? " = " + Errno.name(r.getErrno()) : ""));
        return r.getRet() < 0 ? -r.getErrno() : r.getRet();
    }

    void close(int fd) {
        SyscallReply r = thread.close(fd);
        file(r);
        trace("close");
    }

    /** mkdir(path): 0 or -errno (scratch ignores the result). */
    int mkdir(String path) {
        SyscallReply r = thread.mkdirat(Errno.AT_FDCWD, path, DIR_MODE);
        file(r);
        figures.mkdirs++;
        trace("mkdirat " + path + (r.getRet() < 0 ? " = " + Errno.name(r.getErrno()) : ""));
        return r.getRet() < 0 ? -r.getErrno() : 0;
    }

    /** print(s): one write of the text to the console (the kernel charges its UART per byte). */
    void print(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        thread.write(STDOUT, b, 0, b.length);
        figures.consoleWrites++;
        figures.consoleBytes += b.length;
        if (trace != null) {
            trace.accept("print " + s.replace("\n", "\\n").replace("\r", "\\r"));
        }
    }

    /** An anonymous mapping of {@code length} bytes (libakuma's allocator: page-rounded); the address. */
    long mmap(long length) {
        long rounded = (length + 4095) & ~4095L;
        SyscallReply r = thread.mmap(rounded);
        figures.mmaps++;
        figures.mmapBytes += rounded;
        trace("mmap " + rounded + (r.getRet() < 0 ? " = " + Errno.name(r.getErrno()) : ""));
        if (r.getRet() < 0) {
            // Rust's allocator aborts the process on a failed allocation: the clone ends here
            throw new java.io.UncheckedIOException(new SyscallException("mmap", r.getErrno(),
                    "allocation of " + rounded + " bytes failed (" + figures.mmapBytes + " bytes mapped so far)"));
        }
        return r.getRet();
    }

    void munmap(long addr, long length) {
        long rounded = (length + 4095) & ~4095L;
        thread.munmap(addr, rounded);
        figures.munmaps++;
        trace("munmap " + rounded);
    }

    private void file(SyscallReply r) {
        figures.fileSyscalls++;
        figures.fsTimeNs += Math.max(0, r.getExitTimeNs() - r.getEntryTimeNs());
    }

    private void trace(String line) {
        if (trace != null) {
            trace.accept(line);
        }
    }

    static String flagNames(int flags) {
        StringBuilder b = new StringBuilder();
        int acc = flags & Errno.O_ACCMODE;
        b.append(acc == Errno.O_WRONLY ? "O_WRONLY" : acc == Errno.O_RDWR ? "O_RDWR" : "O_RDONLY");
        if ((flags & Errno.O_CREAT) != 0) {
            b.append("|O_CREAT");
        }
        if ((flags & Errno.O_TRUNC) != 0) {
            b.append("|O_TRUNC");
        }
        if ((flags & Errno.O_APPEND) != 0) {
            b.append("|O_APPEND");
        }
        return b.toString();
    }

    /**
     * What the client's own syscalls add up to (the network's are in {@code IoStats}). Single
     * writer (the download's thread); read at the end.
     */
    public static final class Figures {
        long fileSyscalls;
        long opens;
        long reads;
        long writes;
        long mkdirs;
        long bytesRead;
        long bytesWritten;
        long fsTimeNs;
        long consoleWrites;
        long consoleBytes;
        long mmaps;
        long munmaps;
        long mmapBytes;

        /** openat, read, write, close and mkdirat on files (console writes and mmap not included). */
        public long fileSyscalls() {
            return fileSyscalls;
        }

        public long opens() {
            return opens;
        }

        public long fileReads() {
            return reads;
        }

        public long fileWrites() {
            return writes;
        }

        public long mkdirs() {
            return mkdirs;
        }

        public long bytesRead() {
            return bytesRead;
        }

        public long bytesWritten() {
            return bytesWritten;
        }

        /** Simulated time inside the file syscalls: the sum of their exit - entry. */
        public long fsTimeNs() {
            return fsTimeNs;
        }

        public long consoleWrites() {
            return consoleWrites;
        }

        public long consoleBytes() {
            return consoleBytes;
        }

        public long mmaps() {
            return mmaps;
        }

        public long munmaps() {
            return munmaps;
        }

        public long mmapBytes() {
            return mmapBytes;
        }
    }
}
