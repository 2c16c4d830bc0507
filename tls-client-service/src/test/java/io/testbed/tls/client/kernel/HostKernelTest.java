package io.testbed.tls.client.kernel;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.tls.client.support.SilentServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HostKernelTest {

    @Test
    void connect_unmappedHost_econnrefused() {
        try (UserThread t = new HostKernel(Map.of()).attach("host", "t")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            SyscallReply r = t.connect(fd, "git.testbed", 443);
            assertThat(r.getRet()).isEqualTo(-1);
            assertThat(r.getErrno()).isEqualTo(Errno.ECONNREFUSED);
        }
    }

    @Test
    void recvfrom_noDataOnBlockingSocket_eagainAsAkuma() throws Exception {
        try (SilentServer silent = new SilentServer();
             UserThread t = new HostKernel(Map.of("git.testbed:443", new InetSocketAddress("127.0.0.1", silent.port())))
                     .attach("host", "t")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            assertThat(t.connect(fd, "git.testbed", 443).getRet()).isZero();
            SyscallReply r = t.recvfrom(fd, 4096, 0);
            assertThat(r.getErrno()).isEqualTo(Errno.EAGAIN);
            assertThat(r.getExitTimeNs()).isGreaterThanOrEqualTo(r.getEntryTimeNs());
        }
    }

    @Test
    void recvfrom_peerClosedWithBlockingRecv_returnsZero() throws Exception {
        try (ServerSocket server = new ServerSocket(0);
             UserThread t = new HostKernel(Map.of("a:1", new InetSocketAddress("127.0.0.1", server.getLocalPort())), true)
                     .attach("host", "t")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            assertThat(t.connect(fd, "a", 1).getRet()).isZero();
            server.accept().close();
            assertThat(t.recvfrom(fd, 4096, 0).getRet()).isZero();
        }
    }

    @Test
    void nanosleep_sleepsOnTheHostClock() {
        try (UserThread t = new HostKernel(Map.of()).attach("host", "t")) {
            SyscallReply r = t.nanosleep(3_000_000L);
            assertThat(r.getExitTimeNs() - r.getEntryTimeNs()).isGreaterThanOrEqualTo(3_000_000L);
        }
    }
}
