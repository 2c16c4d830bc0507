package io.testbed.kernel.sim.fs;

import io.testbed.kernel.api.Errno;

import java.util.List;

/**
 * An open file as Akuma's {@code KernelFile} holds it: the path, the flags and the position only
 * (src/syscall.rs:1254 @7b52ac2); every call resolves the path again.
 */
public final class OpenFile {
    final List<String> path;
    final int flags;
    final boolean dir;
    long position;

    OpenFile(List<String> path, int flags, boolean dir) {
        this.path = List.copyOf(path);
        this.flags = flags;
        this.dir = dir;
    }

    public List<String> path() {
        return path;
    }

    public boolean isDir() {
        return dir;
    }

    public long position() {
        return position;
    }

    boolean readable() {
        return (flags & Errno.O_ACCMODE) != Errno.O_WRONLY;
    }

    boolean writable() {
        int acc = flags & Errno.O_ACCMODE;
        return acc == Errno.O_WRONLY || acc == Errno.O_RDWR;
    }

    boolean append() {
        return (flags & Errno.O_APPEND) != 0;
    }
}
