package io.testbed.kernel.sim.calibration;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.SendTo;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.config.Profiles;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** 8316ebe's recvfrom: it blocks on a waker (WFI, 1 s deadline) and the network thread's poll wakes it. */
class RecvWakerTest {

    private record Run(long bytes, long maxRecvNs, long passes, long recvCalls) {
    }

    private static Run download(String wait) {
        SyscallDriver d = new SyscallDriver(Profiles.resolve("akuma-8316ebe", Map.of("syscall.recv_wait", wait)), 5,
                Connectors.bulk(256 * 1024));
        int fd = References.connect(d, "bulk.test", 443);
        References.ok(d.call(SyscallRequest.newBuilder().setSendto(SendTo.newBuilder().setFd(fd)
                .setData(ByteString.copyFrom(new byte[100])))), "sendto");
        long bytes = 0;
        long max = 0;
        long calls = 0;
        while (true) {
            SyscallReply r = d.call(SyscallRequest.newBuilder().setRecvfrom(RecvFrom.newBuilder().setFd(fd).setLen(4096)));
            calls++;
            max = Math.max(max, r.getExitTimeNs() - r.getEntryTimeNs());
            if (r.getRet() == 0) {
                break;
            }
            assertThat(r.getRet() > 0 || r.getErrno() == Errno.EAGAIN).isTrue();
            bytes += Math.max(0, r.getRet());
        }
        return new Run(bytes, max, d.model().cpu().passes(), calls);
    }

    @Test
    @DisplayName("waker: every byte arrives, each blocked recvfrom is woken by data well before its 1 s deadline")
    void waker_wokenByData() {
        Run waker = download("waker");
        Run yield = download("yield");
        assertThat(waker.bytes()).isEqualTo(256 * 1024);
        assertThat(yield.bytes()).isEqualTo(256 * 1024);
        assertThat(waker.maxRecvNs()).isLessThan(500_000_000L);
        // blocked readers stop the busy passes of the yield loop
        assertThat(waker.passes()).isLessThan(yield.passes());
        assertThat(download("waker")).isEqualTo(waker);
    }
}
