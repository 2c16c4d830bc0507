package io.testbed.kernel.sim.fs;

import io.testbed.kernel.api.Counters;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.sim.config.MachineSettings;

import java.util.List;

/**
 * A machine's file system and what its file syscalls do to it, per Akuma code state: the seed's
 * whole-file write and read paths or {@code write_at}/{@code read_at}, and the seed's openat or the
 * later trunc-only one. Each operation runs at once on the {@link Ext2} model and reports its cost
 * (sector requests × {@code cost.sector_ns} + bitmap bits × {@code cost.bitmap_bit_ns}); the syscall
 * layer spends that time on the core. One lock for the whole file system, as Akuma's ext2 state
 * spinlock and the VFS mount table (src/vfs/mod.rs:375-387, src/vfs/ext2.rs:190): another thread's
 * file syscall spins until the holder is done. Errors are Linux's errnos where Akuma returns EIO.
 */
public final class FileSystem {
    private final FsSettings s;
    private final Ext2 ext2;
    private int lockOwner = -1;
    private long syscalls;
    private long bytesRead;
    private long bytesWritten;
    private long fsTimeNs;
    private long consoleBytes;
    private long mmapBytes;
    private long mapped;
    private long spinNs;

    public FileSystem(MachineSettings settings) {
        this(FsSettings.of(settings));
    }

    public FileSystem(FsSettings s) {
        this.s = s;
        this.ext2 = new Ext2(s.diskBytes(), s.blockSize(), s.inodeSize(), s.inodeRatio());
    }

    public FsSettings settings() {
        return s;
    }

    public Ext2 ext2() {
        return ext2;
    }

    // ---- cost ----

    /** The block-layer counters now, to measure one operation with {@link #chargeSince}. */
    public long[] snapshot() {
        BlockDevice d = ext2.device();
        return new long[]{d.sectorsRead(), d.sectorsWritten(), ext2.bitsScanned()};
    }

    /** The simulated time of the work since {@code snap}; added to fs_time_ns. */
    public long chargeSince(long[] snap) {
        long[] now = snapshot();
        long ns = (now[0] - snap[0] + now[1] - snap[1]) * s.sectorNs() + (now[2] - snap[2]) * s.bitmapBitNs();
        fsTimeNs += ns;
        return ns;
    }

    // ---- the lock ----

    /** Takes the file-system lock for thread {@code tid}; false if another thread holds it. */
    public boolean tryLock(int tid) {
        if (lockOwner >= 0 && lockOwner != tid) {
            return false;
        }
        lockOwner = tid;
        return true;
    }

    public void unlock(int tid) {
        if (lockOwner == tid) {
            lockOwner = -1;
        }
    }

    /** Time a thread spent spinning on the lock. */
    public void spun(long ns) {
        spinNs += ns;
    }

    // ---- file operations (each counts one file syscall) ----

    /** openat: the open file, or throws with the errno. */
    public OpenFile open(List<String> path, int flags) {
        syscalls++;
        int acc = flags & Errno.O_ACCMODE;
        if (acc == Errno.O_ACCMODE) {
            throw new FsException(Errno.EINVAL, "bad access mode");
        }
        boolean create = (flags & Errno.O_CREAT) != 0;
        boolean trunc = (flags & Errno.O_TRUNC) != 0;
        // the seed looks the path up (exists); from 386a112f nothing is looked up here (no cost)
        int found = s.openatChecks() ? ext2.lookupErrno(path) : errnoOf(path);
        if (found == Errno.ENOTDIR || (found == Errno.ENOENT && !create)) {
            throw new FsException(found, found == Errno.ENOENT ? "no such file or directory" : "not a directory");
        }
        if (found == 0 && create && (flags & Errno.O_EXCL) != 0) {
            throw new FsException(Errno.EEXIST, "exists");
        }
        if (found == 0) {
            Inode in = ext2.peek(path);
            if (in.isDir() && (acc != Errno.O_RDONLY || trunc || create)) {
                throw new FsException(Errno.EISDIR, "is a directory");
            }
            if (!in.isDir() && (flags & Errno.O_DIRECTORY) != 0) {
                throw new FsException(Errno.ENOTDIR, "not a directory");
            }
        } else {
            requireSpace(1 + ext2.blocksFor(0) + 3, true);
            if (s.openatChecks() || !trunc) {
                ext2.writeFile(path, new byte[0], 0); // create (write_file with no data)
            }
        }
        if (trunc) {
            ext2.writeFile(path, new byte[0], 0); // O_TRUNC: write_file(path, []) on every code state
        }
        return new OpenFile(path, flags, ext2.peek(path).isDir());
    }

    private int errnoOf(List<String> path) {
        try {
            ext2.peek(path);
            return 0;
        } catch (FsException e) {
            return e.errno();
        }
    }

    /** read: the bytes read (empty at end of file), the position moved on. */
    public byte[] read(OpenFile f, int len) {
        syscalls++;
        if (!f.readable()) {
            throw new FsException(Errno.EBADF, "not open for reading");
        }
        if (f.dir) {
            throw new FsException(Errno.EISDIR, "is a directory");
        }
        if (len == 0) {
            return new byte[0];
        }
        int want = Math.min(len, s.readCap());
        Inode in;
        int n;
        if (s.wholeFileRead()) {
            in = ext2.readFile(f.path); // every block, every call
            n = (int) Math.max(0, Math.min(want, in.size - f.position));
        } else {
            n = ext2.readAt(f.path, f.position, want);
            in = ext2.peek(f.path);
        }
        byte[] out = new byte[n];
        System.arraycopy(in.data, (int) Math.min(f.position, in.size), out, 0, n);
        f.position += n;
        bytesRead += n;
        return out;
    }

    /** write: the bytes written (all of them), the position moved on. */
    public int write(OpenFile f, byte[] data) {
        syscalls++;
        if (!f.writable()) {
            throw new FsException(Errno.EBADF, "not open for writing");
        }
        int n = data.length;
        if (n == 0) {
            return 0;
        }
        Inode cur = existing(f.path);
        long size = cur == null ? 0 : cur.size;
        long pos = f.append() ? size : f.position;
        long end = pos + n;
        if (end > maxFileBytes()) {
            throw new FsException(Errno.EFBIG, "file would exceed " + maxFileBytes() + " bytes");
        }
        long held = cur == null ? 0 : cur.blocks;
        if (s.wholeFileWrite()) {
            requireSpace(ext2.blocksFor(Math.max(size, end)) - held + (cur == null ? 4 : 0), cur == null);
            if (f.append() && s.openatChecks()) {
                ext2.appendFile(f.path, data, 0, n); // the seed's O_APPEND path
            } else {
                wholeFileWrite(f.path, pos, data);
            }
        } else {
            requireSpace((long) n / s.blockSize() + 2 + 3 + (cur == null ? 4 : 0), cur == null);
            if (cur == null) {
                ext2.writeFile(f.path, new byte[0], 0); // write_at creates a missing file first
            }
            ext2.writeAt(f.path, pos, data, 0, n);
        }
        f.position = end;
        bytesWritten += n;
        return n;
    }

    /** The seed's sys_write: read_file, patch the buffer, write_file (truncate, rewrite every block). */
    private void wholeFileWrite(List<String> path, long pos, byte[] data) {
        byte[] buf;
        long size;
        try {
            Inode in = ext2.readFile(path);
            buf = in.data;
            size = in.size;
        } catch (FsException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
            buf = new byte[0]; // read_file failed: an empty buffer (unwrap_or_default)
            size = 0;
        }
        long end = Math.max(size, pos + data.length);
        if (end > buf.length) {
            long cap = Math.max(end, Math.min(Integer.MAX_VALUE - 8, 2L * buf.length));
            buf = java.util.Arrays.copyOf(buf, Math.toIntExact(cap));
        }
        System.arraycopy(data, 0, buf, (int) pos, data.length);
        ext2.writeFile(path, buf, end);
    }

    private Inode existing(List<String> path) {
        try {
            return ext2.peek(path);
        } catch (FsException e) {
            return null;
        }
    }

    /** lseek: lookup and inode (file_size, computed for every whence), then the new position. */
    public long seek(OpenFile f, long offset, int whence) {
        syscalls++;
        long size = ext2.metadata(f.path).size;
        long base;
        switch (whence) {
            case Errno.SEEK_SET -> base = 0;
            case Errno.SEEK_CUR -> base = f.position;
            case Errno.SEEK_END -> base = size;
            default -> throw new FsException(Errno.EINVAL, "bad whence");
        }
        long pos;
        try {
            pos = Math.addExact(base, offset);
        } catch (ArithmeticException e) {
            throw new FsException(Errno.EINVAL, "offset overflows");
        }
        if (pos < 0 || pos > maxFileBytes()) {
            throw new FsException(Errno.EINVAL, "offset outside 0.." + maxFileBytes());
        }
        f.position = pos;
        return pos;
    }

    /** fstat: lookup and inode (metadata). */
    public Inode stat(OpenFile f) {
        syscalls++;
        return ext2.metadata(f.path);
    }

    /** mkdirat: create_dir. */
    public void mkdir(List<String> path) {
        syscalls++;
        if (path.isEmpty()) {
            throw new FsException(Errno.EEXIST, "the root exists");
        }
        if (errnoOf(path) == 0) {
            ext2.lookupErrno(path); // create_dir's exists check finds it
            throw new FsException(Errno.EEXIST, "exists");
        }
        requireSpace(1 + 4, true);
        ext2.createDir(path);
    }

    /** close of a file: no I/O (src/syscall.rs:1078-1081). */
    public void closed() {
        syscalls++;
    }

    public long maxFileBytes() {
        return Math.min(Math.min(s.maxFileBytes(), ext2.maxFileBytes()), Integer.MAX_VALUE - 8);
    }

    /**
     * ENOSPC before anything changes when {@code blocks} (an upper bound) are not free, or no inode for a
     * new file. Akuma would fail part-way (EIO, the file already truncated); the model refuses up front.
     */
    private void requireSpace(long blocks, boolean needsInode) {
        if (blocks > ext2.unallocatedBlocks() || (needsInode && ext2.unallocatedInodes() == 0)) {
            throw new FsException(Errno.ENOSPC, "no space left on the disk");
        }
    }

    // ---- console and memory ----

    public void console(int bytes) {
        consoleBytes += bytes;
    }

    /** Maps {@code bytes} (whole pages) of user memory, or ENOMEM past {@code mm.max_mapped_mb}. */
    public void map(long bytes) {
        if (bytes > s.maxMappedBytes() - mapped) {
            throw new FsException(Errno.ENOMEM, "out of user memory");
        }
        mapped += bytes;
        mmapBytes += bytes;
    }

    /** Pages given back (munmap with mm.munmap=free, or a process's exit). */
    public void release(long bytes) {
        mapped = Math.max(0, mapped - bytes);
    }

    // ---- counters (MachineStats) ----

    /** The per-machine counters of FILE_ABI.md, by name. */
    public java.util.Map<String, Long> counters() {
        java.util.Map<String, Long> c = new java.util.TreeMap<>();
        c.put(Counters.FS_SYSCALLS, syscalls);
        c.put(Counters.FS_BYTES_READ, bytesRead);
        c.put(Counters.FS_BYTES_WRITTEN, bytesWritten);
        c.put(Counters.FS_SECTORS_READ, ext2.device().sectorsRead());
        c.put(Counters.FS_SECTORS_WRITTEN, ext2.device().sectorsWritten());
        c.put(Counters.FS_BITMAP_BITS_SCANNED, ext2.bitsScanned());
        c.put(Counters.FS_TIME_NS, fsTimeNs);
        c.put(Counters.FS_LOCK_SPIN_NS, spinNs);
        c.put(Counters.FS_FREE_BLOCKS, ext2.unallocatedBlocks());
        c.put(Counters.CONSOLE_BYTES, consoleBytes);
        c.put(Counters.MMAP_BYTES, mmapBytes);
        c.put(Counters.MMAP_MAPPED_BYTES, mapped);
        return c;
    }
}
