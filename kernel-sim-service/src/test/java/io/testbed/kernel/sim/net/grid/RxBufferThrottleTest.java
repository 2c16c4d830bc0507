package io.testbed.kernel.sim.net.grid;

import io.testbed.kernel.sim.SimFixture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Akuma's single posted RX buffer with the network thread polling (kept from the former
 * NetworkModelGridTest): at 1 Gbit/s with a 64 KiB window, one buffer lets one frame in per poll and
 * the backend queue overflows, so the fast link is throttled against sixteen buffers. The remote is the
 * window-limited {@code simple} sender, so the RX buffers, not slirp's send buffer, are what limits.
 */
class RxBufferThrottleTest {
    @Test
    @DisplayName("with the network thread polling, one posted RX buffer lets one frame in per poll: fast links are throttled")
    void singleRxBuffer_throttlesThePolledStack() throws Exception {
        Map<String, String> o = new HashMap<>();
        o.put("socket.rx_buffer", "65536");
        o.put("syscall.recv_cap", "65536");
        o.put("nic.max_burst_size", "0");
        o.put("remote.tcp", "simple");
        o.put("link.bandwidth_kbps", "1000000");
        o.put("link.latency_us", "500");
        o.put("nic.rx_buffers", "1");
        try (SimFixture sim = SimFixture.withMemoryBulkServer(Duration.ofSeconds(60))) {
            double one = BulkTransfer.run(sim, o, 1L << 20, 1, 0).wholeBps();
            o.put("nic.rx_buffers", "16");
            double sixteen = BulkTransfer.run(sim, o, 1L << 20, 1, 0).wholeBps();
            System.out.printf("1 Gbit/s, 64 KiB buffer, poller-thread: 1 RX buffer %.0f B/s, 16 RX buffers %.0f B/s%n", one, sixteen);
            assertThat(one).isLessThan(0.8 * sixteen);
        }
    }
}
