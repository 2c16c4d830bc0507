package io.testbed.kernel.sim.api;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.GrpcFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The file syscalls over a real gRPC server and channel: openat, write, read, lseek, fstat, mkdirat, mmap, close. */
class GrpcFileSyscallTest {
    private GrpcFixture grpc;

    @BeforeEach
    void setUp() throws Exception {
        grpc = GrpcFixture.machines(Duration.ofSeconds(30));
    }

    @AfterEach
    void tearDown() throws Exception {
        grpc.close();
    }

    @Test
    void openatWriteRead_roundTripOverGrpc_withFileCountersInStats() {
        String id = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).setSeed(5).build()).getId();
        byte[] data = new byte[20_000];
        new Random(1).nextBytes(data);
        try (UserThread t = grpc.kernel.attach(id, "files")) {
            assertThat(t.mkdirat(Errno.AT_FDCWD, "/.git", 0755).getRet()).isZero();
            SyscallReply open = t.openat(Errno.AT_FDCWD, "/.git/tmp.pack", Errno.O_RDWR | Errno.O_CREAT | Errno.O_TRUNC, 0644);
            assertThat(open.getErrno()).isZero();
            int fd = (int) open.getRet();
            assertThat(fd).isEqualTo(3);
            for (int off = 0; off < data.length; off += 4096) {
                int n = Math.min(4096, data.length - off);
                SyscallReply w = t.write(fd, data, off, n);
                assertThat(w.getRet()).isEqualTo(n);
                assertThat(w.getExitTimeNs()).isGreaterThan(w.getEntryTimeNs());
            }
            SyscallReply st = t.fstat(fd);
            assertThat(st.getStSize()).isEqualTo(data.length);
            assertThat(st.getStMode()).isEqualTo(Errno.S_IFREG | 0644);
            assertThat(t.lseek(fd, 0, Errno.SEEK_SET).getRet()).isZero();
            byte[] back = new byte[data.length];
            int got = 0;
            SyscallReply r;
            while ((r = t.read(fd, 4096)).getRet() > 0) {
                r.getData().copyTo(back, got);
                got += (int) r.getRet();
            }
            assertThat(got).isEqualTo(data.length);
            assertThat(back).isEqualTo(data);
            assertThat(t.read(42, 10).getErrno()).isEqualTo(Errno.EBADF);
            assertThat(t.openat(Errno.AT_FDCWD, "/missing", Errno.O_RDONLY, 0).getErrno()).isEqualTo(Errno.ENOENT);
            assertThat(t.mmap(10_000).getRet()).isPositive();
            assertThat(t.write(2, new byte[]{'x', '\n'}, 0, 2).getRet()).isEqualTo(2);
            assertThat(t.close(fd).getRet()).isZero();
        }
        Map<String, Long> c = grpc.admin.stats(MachineRef.newBuilder().setId(id).build()).getCountersMap();
        assertThat(c.get("fs_bytes_written")).isEqualTo(20_000L);
        assertThat(c.get("fs_bytes_read")).isEqualTo(20_000L);
        assertThat(c.get("fs_sectors_read")).isPositive();
        assertThat(c.get("fs_sectors_written")).isPositive();
        assertThat(c.get("fs_time_ns")).isPositive();
        assertThat(c.get("console_bytes")).isEqualTo(2L);
        assertThat(c.get("mmap_bytes")).isEqualTo(12_288L);
        assertThat(c.get("syscalls.openat")).isEqualTo(2L);
        assertThat(c.get("errno.ENOENT")).isEqualTo(1L);
    }
}
