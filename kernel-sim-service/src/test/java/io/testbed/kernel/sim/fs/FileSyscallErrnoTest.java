package io.testbed.kernel.sim.fs;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.runtime.Machine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.testbed.kernel.api.Errno.AT_FDCWD;
import static io.testbed.kernel.api.Errno.O_APPEND;
import static io.testbed.kernel.api.Errno.O_CREAT;
import static io.testbed.kernel.api.Errno.O_DIRECTORY;
import static io.testbed.kernel.api.Errno.O_EXCL;
import static io.testbed.kernel.api.Errno.O_RDONLY;
import static io.testbed.kernel.api.Errno.O_RDWR;
import static io.testbed.kernel.api.Errno.O_TRUNC;
import static io.testbed.kernel.api.Errno.O_WRONLY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file syscall's errnos and bad inputs, table-driven: each case runs on a fresh machine (virtual
 * clock, in-process binding) and must get Linux's answer; the machine must then still serve a file
 * round trip, and no file may stay open after the thread exits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileSyscallErrnoTest {
    private SimFixture sim;

    @BeforeAll
    void start() {
        sim = SimFixture.machines();
    }

    @AfterAll
    void stop() throws Exception {
        sim.close();
    }

    record Case(String name, Map<String, String> overrides, Function<UserThread, Object> action, Object expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Object r(SyscallReply r) {
        return r.getRet() < 0 ? Errno.name(r.getErrno()) : "ret=" + r.getRet();
    }

    private static int open(UserThread t, String path, int flags) {
        SyscallReply r = t.openat(AT_FDCWD, path, flags, 0644);
        assertThat(r.getErrno()).as("open %s", path).isZero();
        return (int) r.getRet();
    }

    private static int file(UserThread t, String path, String contents) {
        int fd = open(t, path, O_RDWR | O_CREAT | O_TRUNC);
        byte[] b = contents.getBytes(StandardCharsets.UTF_8);
        assertThat(t.write(fd, b, 0, b.length).getRet()).isEqualTo(b.length);
        return fd;
    }

    private static Case c(String name, Function<UserThread, Object> action, Object expected) {
        return new Case(name, Map.of(), action, expected);
    }

    Stream<Case> cases() {
        byte[] one = {1};
        return Stream.of(
                // openat
                c("openat of a missing file", t -> r(t.openat(AT_FDCWD, "/nope", O_RDONLY, 0)), "ENOENT"),
                c("openat of an empty path", t -> r(t.openat(AT_FDCWD, "", O_RDONLY, 0)), "ENOENT"),
                c("openat of a path over 4096 bytes", t -> r(t.openat(AT_FDCWD, "/a".repeat(2049), O_RDONLY, 0)), "ENAMETOOLONG"),
                c("openat of a 256-byte name", t -> r(t.openat(AT_FDCWD, "/" + "n".repeat(256), O_CREAT | O_WRONLY, 0)), "ENAMETOOLONG"),
                c("openat of a name with a space", t -> r(t.openat(AT_FDCWD, "/a b", O_CREAT | O_WRONLY, 0)), "EINVAL"),
                c("openat of a name with a NUL", t -> r(t.openat(AT_FDCWD, "/a\0b", O_CREAT | O_WRONLY, 0)), "EINVAL"),
                c("openat with access mode 3", t -> r(t.openat(AT_FDCWD, "/f", O_CREAT | 3, 0)), "EINVAL"),
                c("openat O_CREAT|O_EXCL of an existing file", t -> {
                    file(t, "/f", "x");
                    return r(t.openat(AT_FDCWD, "/f", O_CREAT | O_EXCL | O_WRONLY, 0));
                }, "EEXIST"),
                c("openat O_CREAT of an existing file opens it", t -> {
                    file(t, "/f", "x");
                    return r(t.openat(AT_FDCWD, "/f", O_CREAT | O_WRONLY, 0));
                }, "ret=4"),
                c("openat through a file", t -> {
                    file(t, "/f", "x");
                    return r(t.openat(AT_FDCWD, "/f/x", O_CREAT | O_WRONLY, 0));
                }, "ENOTDIR"),
                c("openat O_CREAT in a missing directory", t -> r(t.openat(AT_FDCWD, "/no/x", O_CREAT | O_WRONLY, 0)), "ENOENT"),
                c("openat of a directory for writing", t -> r(t.openat(AT_FDCWD, "/lost+found", O_WRONLY, 0)), "EINVAL"),
                c("openat of a directory for writing (valid name)", t -> {
                    t.mkdirat(AT_FDCWD, "/d", 0755);
                    return r(t.openat(AT_FDCWD, "/d", O_RDWR, 0));
                }, "EISDIR"),
                c("openat O_DIRECTORY of a file", t -> {
                    file(t, "/f", "x");
                    return r(t.openat(AT_FDCWD, "/f", O_RDONLY | O_DIRECTORY, 0));
                }, "ENOTDIR"),
                c("openat relative to an fd never opened", t -> r(t.openat(9, "x", O_RDONLY, 0)), "EBADF"),
                c("openat relative to a file fd", t -> r(t.openat(file(t, "/f", "x"), "x", O_RDONLY, 0)), "ENOTDIR"),
                c("openat relative to a directory fd", t -> {
                    t.mkdirat(AT_FDCWD, "/d", 0755);
                    int d = open(t, "/d", O_RDONLY | O_DIRECTORY);
                    int fd = (int) t.openat(d, "x", O_CREAT | O_WRONLY, 0).getRet();
                    t.write(fd, new byte[7], 0, 7);
                    return "size=" + t.fstat(open(t, "/d/x", O_RDONLY)).getStSize();
                }, "size=7"),
                c("openat relative to the cwd", t -> {
                    file(t, "/g", "abc");
                    return "size=" + t.fstat(open(t, "g", O_RDONLY)).getStSize();
                }, "size=3"),
                new Case("openat past fs.max_open_files", Map.of("fs.max_open_files", "2"), t -> {
                    open(t, "/a", O_CREAT | O_WRONLY);
                    open(t, "/b", O_CREAT | O_WRONLY);
                    return r(t.openat(AT_FDCWD, "/c", O_CREAT | O_WRONLY, 0));
                }, "EMFILE"),
                // read
                c("read of an fd never opened", t -> r(t.read(42, 10)), "EBADF"),
                c("read of a negative fd", t -> r(t.read(-1, 10)), "EBADF"),
                c("read of stdout", t -> r(t.read(1, 10)), "EBADF"),
                c("read of stdin is end of file", t -> r(t.read(0, 10)), "ret=0"),
                c("read with a negative length", t -> r(t.read(file(t, "/f", "x"), -1)), "EINVAL"),
                c("read of a write-only file", t -> r(t.read(open(t, "/f", O_CREAT | O_WRONLY), 10)), "EBADF"),
                c("read of a directory (valid name)", t -> {
                    t.mkdirat(AT_FDCWD, "/d", 0755);
                    return r(t.read(open(t, "/d", O_RDONLY), 10));
                }, "EISDIR"),
                c("read with a huge length is capped", t -> {
                    int fd = open(t, "/f", O_CREAT | O_RDWR);
                    t.write(fd, new byte[70_000], 0, 70_000);
                    t.lseek(fd, 0, Errno.SEEK_SET);
                    return r(t.read(fd, Integer.MAX_VALUE));
                }, "ret=70000"),
                new Case("read_at returns at most 64 KiB", Map.of("fs.read", "read-at"), t -> {
                    int fd = open(t, "/f", O_CREAT | O_RDWR);
                    t.write(fd, new byte[70_000], 0, 70_000);
                    t.lseek(fd, 0, Errno.SEEK_SET);
                    return r(t.read(fd, Integer.MAX_VALUE));
                }, "ret=65536"),
                c("read of a socket", t -> r(t.read((int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet(), 10)), "EOPNOTSUPP"),
                // write
                c("write to an fd never opened", t -> r(t.write(42, one, 0, 1)), "EBADF"),
                c("write to stdin", t -> r(t.write(0, one, 0, 1)), "EBADF"),
                c("write to stdout", t -> r(t.write(1, "hello\n".getBytes(StandardCharsets.UTF_8), 0, 6)), "ret=6"),
                c("write to a read-only file", t -> {
                    file(t, "/f", "x");
                    return r(t.write(open(t, "/f", O_RDONLY), one, 0, 1));
                }, "EBADF"),
                c("write of zero bytes", t -> r(t.write(file(t, "/f", "x"), one, 0, 0)), "ret=0"),
                c("write larger than fs.max_write_bytes", t -> r(t.write(file(t, "/f", "x"), new byte[(1 << 20) + 1], 0, (1 << 20) + 1)), "EINVAL"),
                new Case("write past fs.max_file_bytes", Map.of("fs.max_file_bytes", "10000"), t -> {
                    int fd = file(t, "/f", "x");
                    t.lseek(fd, 9_999, Errno.SEEK_SET);
                    return r(t.write(fd, new byte[2], 0, 2));
                }, "EFBIG"),
                new Case("write on a full disk", Map.of("fs.disk_mb", "1", "fs.write", "write-at"), t -> {
                    int fd = open(t, "/f", O_CREAT | O_WRONLY);
                    SyscallReply last;
                    do {
                        last = t.write(fd, new byte[65_536], 0, 65_536);
                    } while (last.getRet() > 0);
                    return r(last);
                }, "ENOSPC"),
                c("write to a socket", t -> r(t.write((int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet(), one, 0, 1)), "EOPNOTSUPP"),
                // lseek
                c("lseek of an fd never opened", t -> r(t.lseek(42, 0, Errno.SEEK_SET)), "EBADF"),
                c("lseek of stdout", t -> r(t.lseek(1, 0, Errno.SEEK_SET)), "ESPIPE"),
                c("lseek of a socket", t -> r(t.lseek((int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet(), 0, 0)), "ESPIPE"),
                c("lseek with whence 3", t -> r(t.lseek(file(t, "/f", "x"), 0, 3)), "EINVAL"),
                c("lseek before the start", t -> r(t.lseek(file(t, "/f", "x"), -5, Errno.SEEK_END)), "EINVAL"),
                c("lseek past fs.max_file_bytes", t -> r(t.lseek(file(t, "/f", "x"), 1L << 40, Errno.SEEK_SET)), "EINVAL"),
                c("lseek overflowing", t -> r(t.lseek(file(t, "/f", "x"), Long.MAX_VALUE, Errno.SEEK_END)), "EINVAL"),
                c("lseek from the end", t -> r(t.lseek(file(t, "/f", "hello"), -2, Errno.SEEK_END)), "ret=3"),
                // fstat
                c("fstat of an fd never opened", t -> r(t.fstat(42)), "EBADF"),
                c("fstat of a file", t -> {
                    SyscallReply s = t.fstat(file(t, "/f", "hello"));
                    return s.getStSize() + " " + Integer.toOctalString(s.getStMode());
                }, "5 100644"),
                c("fstat of a directory", t -> Integer.toOctalString(t.fstat(open(t, "/", O_RDONLY)).getStMode()), "40755"),
                // mkdirat
                c("mkdirat of an existing directory", t -> r(t.mkdirat(AT_FDCWD, "/lost+found", 0755)), "EINVAL"),
                c("mkdirat of an existing directory (valid name)", t -> {
                    t.mkdirat(AT_FDCWD, "/d", 0755);
                    return r(t.mkdirat(AT_FDCWD, "/d", 0755));
                }, "EEXIST"),
                c("mkdirat of the root", t -> r(t.mkdirat(AT_FDCWD, "/", 0755)), "EEXIST"),
                c("mkdirat in a missing directory", t -> r(t.mkdirat(AT_FDCWD, "/a/b", 0755)), "ENOENT"),
                c("mkdirat under a file", t -> {
                    file(t, "/f", "x");
                    return r(t.mkdirat(AT_FDCWD, "/f/d", 0755));
                }, "ENOTDIR"),
                c("mkdirat nested", t -> {
                    t.mkdirat(AT_FDCWD, "/.git", 0755);
                    t.mkdirat(AT_FDCWD, "/.git/objects", 0755);
                    return r(t.mkdirat(AT_FDCWD, ".git/objects/ab", 0755));
                }, "ret=0"),
                // close
                c("close of a file", t -> r(t.close(file(t, "/f", "x"))), "ret=0"),
                c("close of a file twice", t -> {
                    int fd = file(t, "/f", "x");
                    t.close(fd);
                    return r(t.close(fd));
                }, "EBADF"),
                c("read after close", t -> {
                    int fd = file(t, "/f", "x");
                    t.close(fd);
                    return r(t.read(fd, 1));
                }, "EBADF"),
                c("recvfrom on a file", t -> r(t.recvfrom(file(t, "/f", "x"), 10, 0)), "EBADF"),
                c("fds are shared by sockets and files", t -> {
                    int s = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
                    int f = file(t, "/f", "x");
                    t.close(s);
                    return s + " " + f + " " + open(t, "/f", O_RDONLY);
                }, "3 4 3"),
                // mmap and munmap
                c("mmap of zero bytes", t -> r(t.mmap(0)), "EINVAL"),
                c("mmap of a negative length", t -> r(t.mmap(-4096)), "EINVAL"),
                c("mmap of more than mm.max_mapped_mb", t -> r(t.mmap(1L << 40)), "ENOMEM"),
                c("munmap of address 0", t -> r(t.munmap(0, 4096)), "EINVAL"),
                c("munmap unaligned", t -> r(t.munmap(t.mmap(100).getRet() + 1, 4096)), "EINVAL"),
                new Case("munmap is a no-op at the seed: memory runs out", Map.of("mm.max_mapped_mb", "1"), t -> {
                    long a = t.mmap(600_000).getRet();
                    t.munmap(a, 600_000);
                    return r(t.munmap(a, 600_000)) + " " + r(t.mmap(600_000));
                }, "ret=0 ENOMEM"),
                new Case("munmap frees with mm.munmap=free", Map.of("mm.max_mapped_mb", "1", "mm.munmap", "free"), t -> {
                    long a = t.mmap(600_000).getRet();
                    t.munmap(a, 600_000);
                    return r(t.munmap(a, 600_000)) + " " + (t.mmap(600_000).getRet() > 0);
                }, "EINVAL true"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput_getsLinuxErrno_andMachineStaysUsable(Case c) throws Exception {
        Machine m = sim.create("errno", c.overrides(), Clock.CLOCK_VIRTUAL, 1);
        try (UserThread t = sim.kernel.attach(m.id(), "case")) {
            assertThat(c.action().apply(t)).isEqualTo(c.expected());
        }
        try (UserThread t = sim.kernel.attach(m.id(), "after")) {
            int fd = file(t, "/after", "still works");
            assertThat(t.lseek(fd, 0, Errno.SEEK_SET).getRet()).isZero();
            assertThat(t.read(fd, 100).getData().toStringUtf8()).isEqualTo("still works");
        }
        MachineStats s = SimFixture.settled(m);
        assertThat(s.getCountersMap()).containsEntry("user_threads", 0L);
        assertThat(s.getCountersMap()).containsEntry("mmap_mapped_bytes", 0L);
        sim.registry.delete(m.id());
    }

    @ParameterizedTest(name = "O_APPEND with fs.write={0}")
    @MethodSource("writeModes")
    void append_writesAtTheEnd(String mode) {
        Machine m = sim.create("append", Map.of("fs.write", mode), Clock.CLOCK_VIRTUAL, 1);
        try (UserThread t = sim.kernel.attach(m.id(), "a")) {
            file(t, "/log", "one,");
            int fd = open(t, "/log", O_WRONLY | O_APPEND);
            assertThat(t.write(fd, "two".getBytes(StandardCharsets.UTF_8), 0, 3).getRet()).isEqualTo(3);
            int rd = open(t, "/log", O_RDONLY);
            assertThat(t.read(rd, 100).getData().toStringUtf8()).isEqualTo("one,two");
        }
        sim.registry.delete(m.id());
    }

    static Stream<String> writeModes() {
        return Stream.of("whole-file", "write-at");
    }
}
