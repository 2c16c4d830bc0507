package io.testbed.kernel.sim.net;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.BulkServer;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.machine.Machine;
import io.testbed.kernel.sim.machine.MachineRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network model against analysis: with an always-reading reader and none of Akuma's brakes
 * (interrupt-driven stack, immediate ACKs, plenty of RX buffers) a bulk transfer reaches
 * min(bandwidth, window / round-trip time). Then Akuma's delayed ACK and single RX buffer are switched
 * back on to show what each costs. The grid's figures are a golden snapshot: any change to the model's
 * timing shows up as a diff of {@code src/test/resources/golden/network-grid.csv}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkModelGridTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/network-grid.csv");
    private SimFixture sim;
    private MachineRegistry registry;
    private InProcessKernel kernel;

    @BeforeAll
    void setUp() throws Exception {
        sim = SimFixture.withBulkServer(Duration.ofSeconds(60));
        registry = sim.registry;
        kernel = sim.kernel;
    }

    @AfterAll
    void tearDown() throws Exception {
        sim.close();
    }

    /** Payload bytes per simulated second from the first data byte to the last. */
    double throughput(Map<String, String> overrides, long n) {
        Machine m = registry.create("grid", "", overrides, Clock.CLOCK_VIRTUAL, 1);
        long first = -1;
        long last = 0;
        long got = 0;
        try (UserThread t = kernel.attach(m.id(), "reader")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
            byte[] req = BulkServer.request(n);
            t.sendto(fd, req, 0, req.length, 0);
            while (true) {
                SyscallReply r = t.recvfrom(fd, 1 << 16, 0);
                if (r.getRet() == 0) {
                    break;
                }
                if (r.getRet() > 0) {
                    if (first < 0) {
                        first = r.getExitTimeNs();
                    }
                    got += r.getRet();
                    last = r.getExitTimeNs();
                }
            }
            t.close(fd);
        } finally {
            registry.delete(m.id());
        }
        assertThat(got).isEqualTo(n);
        return n / ((last - first) / 1e9);
    }

    private static Map<String, String> cell(int buffer, long latencyUs, long kbps, boolean akumaBrakes) {
        // the network against analysis: the CPU model of before the calibration, so CPU costs do not cap the cells
        Map<String, String> o = new HashMap<>(io.testbed.kernel.sim.LegacyModel.SETTINGS);
        o.put("socket.rx_buffer", Integer.toString(buffer));
        o.put("syscall.recv_cap", "65536");
        o.put("link.latency_us", Long.toString(latencyUs));
        o.put("link.bandwidth_kbps", Long.toString(kbps));
        o.put("net.poll_mode", "irq-wakeup");
        o.put("nic.rx_buffers", akumaBrakes ? "1" : "64");
        o.put("tcp.ack_delay_ms", akumaBrakes ? "10" : "0");
        return o;
    }

    /**
     * min(bandwidth, window / RTT). RTT is two latencies plus one full segment's and one ACK's
     * serialisation. The window is what this stack keeps open: the buffer less one segment, because each
     * ACK leaves in the poll that took its segment, before the reader has read it, and smoltcp sends a
     * pure window update only when the window has at least doubled.
     */
    private static double analytic(int buffer, long latencyUs, long kbps) {
        double bps = kbps * 1000.0;
        double payloadRate = bps / 8 * 1460.0 / (1460 + Segment.HEADER_BYTES);
        double rtt = 2 * latencyUs / 1e6 + (1460 + Segment.HEADER_BYTES) * 8 / bps + 60 * 8 / bps;
        return Math.min(payloadRate, (buffer - 1460) / rtt);
    }

    @Test
    @DisplayName("bulk transfer reaches min(bandwidth, window/RTT) within 10% across the grid; Akuma's brakes show")
    void grid_matchesAnalysis_andBrakesCost() throws Exception {
        List<String> rows = new ArrayList<>();
        List<String> off = new ArrayList<>();
        rows.add("rx_buffer,latency_us,bandwidth_kbps,analytic_Bps,model_Bps,model_with_akuma_brakes_Bps");
        for (int buffer : new int[]{4096, 16384, 65536}) {
            for (long latencyUs : new long[]{500, 2000, 10000}) {
                for (long kbps : new long[]{10_000, 100_000}) {
                    long n = Math.max(256 * 1024, Math.min(2L << 20, buffer * 48L));
                    double expected = analytic(buffer, latencyUs, kbps);
                    double model = throughput(cell(buffer, latencyUs, kbps, false), n);
                    double braked = throughput(cell(buffer, latencyUs, kbps, true), n);
                    rows.add(String.format("%d,%d,%d,%.0f,%.0f,%.0f", buffer, latencyUs, kbps, expected, model, braked));
                    boolean windowLimited = expected < 0.9 * kbps * 1000.0 / 8 * 1460 / (1460 + Segment.HEADER_BYTES);
                    if (buffer >= 16384 && windowLimited && braked >= model) {
                        off.add(String.format("buffer %d latency %d us bandwidth %d kbps: delayed ACK cost nothing (%.0f vs %.0f B/s)",
                                buffer, latencyUs, kbps, braked, model));
                    }
                    if (model < 0.9 * expected || model > 1.1 * expected) {
                        off.add(String.format("buffer %d latency %d us bandwidth %d kbps: model %.0f B/s, analysis %.0f B/s",
                                buffer, latencyUs, kbps, model, expected));
                    }
                }
            }
        }
        String csv = String.join("\n", rows) + "\n";
        System.out.print(csv);
        assertThat(off).as("cells more than 10%% from min(bandwidth, window/RTT), or brakes without effect").isEmpty();
        if (!Files.exists(GOLDEN) || Boolean.getBoolean("golden.update")) {
            Files.writeString(GOLDEN, csv, StandardCharsets.UTF_8);
        }
        assertThat(csv).as("golden snapshot %s (re-run with -Dgolden.update=true after an intended model change)", GOLDEN)
                .isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("with the network thread polling, one posted RX buffer lets one frame in per poll: fast links are throttled")
    void singleRxBuffer_throttlesThePolledStack() {
        Map<String, String> o = new HashMap<>();
        o.put("socket.rx_buffer", "65536");
        o.put("syscall.recv_cap", "65536");
        o.put("link.bandwidth_kbps", "1000000");
        o.put("link.latency_us", "500");
        o.put("nic.rx_buffers", "1");
        double one = throughput(o, 2L << 20);
        o.put("nic.rx_buffers", "16");
        double sixteen = throughput(o, 2L << 20);
        System.out.printf("1 Gbit/s, 64 KiB buffer, poller-thread: 1 RX buffer %.0f B/s, 16 RX buffers %.0f B/s%n", one, sixteen);
        assertThat(one).isLessThan(0.8 * sixteen);
    }
}
