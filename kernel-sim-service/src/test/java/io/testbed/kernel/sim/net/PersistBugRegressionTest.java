package io.testbed.kernel.sim.net;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.BulkServer;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.runtime.Machine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 part 1: with windows between 8 and 28 KiB the remote's persist timer, armed on a zero window
 * and never cancelled, fired with data in flight and sent a probe byte at SND.NXT; the machine took it,
 * the remote capped the ACK at SND.NXT, and every later segment was dropped until an RTO: 40.8 KB/s
 * instead of window/RTT = 163.8 KB/s, with dozens of remote retransmissions and no segment lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersistBugRegressionTest {
    private SimFixture sim;

    @BeforeAll
    void setUp() throws Exception {
        sim = SimFixture.withBulkServer(Duration.ofSeconds(60));
    }

    @AfterAll
    void tearDown() throws Exception {
        sim.close();
    }

    static Map<String, String> issueConfig(int window, String remoteTcp) {
        Map<String, String> o = new HashMap<>();
        o.put("link.latency_us", "50000");
        o.put("link.bandwidth_kbps", "100000000");
        o.put("socket.rx_buffer", Integer.toString(window));
        o.put("socket.tx_buffer", Integer.toString(window));
        o.put("remote.window", Integer.toString(window));
        o.put("net.poll_mode", "irq-wakeup");
        o.put("nic.rx_buffers", "256");
        o.put("nic.queue", "4096");
        o.put("sleep.model", "hires");
        o.put("syscall.recv_cap", "65536");
        o.put("remote.tcp", remoteTcp);
        o.put("nic.max_burst_size", "0"); // the window is the buffer: net-machine's clamp (on by default) would cap it at 1474 B
        // slirp's 8 KiB send buffer would cap the flight below these windows: give it room (it reads the server
        // only while the buffer is under half full, so twice the window keeps a window in flight)
        o.put("remote.snd_buffer", Integer.toString(2 * window));
        return o;
    }

    private record Run(double rate, long remoteRetransmits) {
    }

    /** Steady-state payload rate (the second half of a 1 MiB transfer, after slow start) and remote retransmissions. */
    private Run measure(Map<String, String> overrides) throws Exception {
        long n = 1L << 20;
        Machine m = sim.registry.create("persist", "akuma-2026-01-31", overrides, Clock.CLOCK_VIRTUAL, 1);
        long half = -1;
        long last = 0;
        long got = 0;
        long halfBytes = 0;
        try (UserThread t = sim.kernel.attach(m.id(), "reader")) {
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
            byte[] req = BulkServer.request(n);
            t.sendto(fd, req, 0, req.length, 0);
            while (true) {
                SyscallReply r = t.recvfrom(fd, 1 << 16, 0);
                if (r.getRet() <= 0) {
                    break;
                }
                got += r.getRet();
                if (half < 0 && got >= n / 2) {
                    half = r.getExitTimeNs();
                    halfBytes = got;
                }
                last = r.getExitTimeNs();
            }
            t.close(fd);
        }
        MachineStats stats = SimFixture.settled(m);
        sim.registry.delete(m.id());
        assertThat(got).isEqualTo(n);
        return new Run((got - halfBytes) / ((last - half) / 1e9), stats.getCountersMap().get("retransmits_remote"));
    }

    @ParameterizedTest(name = "window {0}, remote {1}")
    // the smoltcp sender retransmits once in this run (not yet traced; smoltcp 0.12 has no persist timer and its
    // retransmission timer probes a closed window instead); the bug gave 61 at 16384
    @CsvSource({"8192,simple,0.95,0", "16384,simple,0.95,0", "20000,simple,0.95,0", "28672,simple,0.95,0", "16384,smoltcp,0.95,1",
            // slirp avoids the silly window (tcp_output.c: a short segment waits unless it empties the buffer), and
            // smoltcp advertises its window before the reader has read (16384 less 1-2 unread segments): only
            // whole segments of the 12004..14924 B usable window go, about 0.76 of window/RTT
            "16384,slirp,0.72,0"})
    @DisplayName("the issue's configuration runs at window/RTT in steady state (slirp: less its silly-window avoidance) with no remote retransmission")
    void windowOverRtt_noRemoteRetransmissions(int window, String remoteTcp, double minRatio, int maxRetransmits) throws Exception {
        Run run = measure(issueConfig(window, remoteTcp));
        double theory = window / 0.1;
        System.out.printf("window %d, remote %s: %.0f B/s (window/RTT %.0f B/s, ratio %.3f), remote retransmits %d%n",
                window, remoteTcp, run.rate(), theory, run.rate() / theory, run.remoteRetransmits());
        assertThat(run.remoteRetransmits()).isLessThanOrEqualTo(maxRetransmits);
        assertThat(run.rate()).isBetween(minRatio * theory, 1.05 * theory);
    }

    @org.junit.jupiter.api.Test
    @DisplayName("with slirp's own 8 KiB send buffer (6 segments) the flight, not the 16 KiB window, bounds the rate")
    void slirpDefaultSendBuffer_capsTheFlight() throws Exception {
        Map<String, String> o = issueConfig(16384, "slirp");
        o.remove("remote.snd_buffer");
        Run run = measure(o);
        double cap = 6 * 1460 / 0.1;
        System.out.printf("window 16384, remote slirp, snd_buffer 8192: %.0f B/s (6 segments/RTT %.0f B/s, ratio %.3f), remote retransmits %d%n",
                run.rate(), cap, run.rate() / cap, run.remoteRetransmits());
        assertThat(run.remoteRetransmits()).isZero();
        assertThat(run.rate()).isBetween(0.5 * cap, 1.02 * cap);
    }
}
