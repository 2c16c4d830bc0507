package io.testbed.kernel.sim.net;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP handshake when segments go missing, found by the soak (docs/RELIABILITY.md, "Load"): a lost
 * SYN-ACK must be sent again when the client repeats its SYN, and a socket closed before its handshake
 * ended must take its remote end (and the real upstream connection) with it.
 */
class HandshakeFaultsTest {
    private SimFixture sim;
    private MachineRegistry registry;
    private InProcessKernel kernel;

    @BeforeEach
    void setUp() throws Exception {
        sim = SimFixture.withBulkServer(Duration.ofSeconds(30));
        registry = sim.registry;
        kernel = sim.kernel;
    }

    @AfterEach
    void tearDown() throws Exception {
        sim.close();
    }

    @Test
    @DisplayName("with half the segments lost, every connect still completes: a repeated SYN gets the SYN-ACK again")
    void lossyLink_repeatedSyn_isAnsweredAgain() {
        List<String> outcomes = new ArrayList<>();
        for (long seed = 1; seed <= 12; seed++) {
            Machine m = registry.create("lossy", "", Map.of("link.loss_ppm", "500000", "syscall.connect_timeout_ms", "60000"),
                    Clock.CLOCK_VIRTUAL, seed);
            try (UserThread t = kernel.attach(m.id(), "connect")) {
                int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
                SyscallReply r = t.connect(fd, "bulk.test", 80);
                outcomes.add("seed " + seed + ": " + (r.getErrno() == 0 ? "connected" : Errno.name(r.getErrno()))
                        + " after " + (r.getExitTimeNs() - r.getEntryTimeNs()) / 1_000_000 + " ms");
                t.close(fd);
            }
            registry.delete(m.id());
        }
        System.out.println("connect over a link losing 50% of segments: " + outcomes);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).contains("connected"));
    }

    @Test
    @DisplayName("connects that time out on a lossy link leave no socket, no remote end and no real connection: the machine goes quiet")
    void connectTimedOut_leavesNothingBehind() throws Exception {
        int timedOut = 0;
        for (long seed = 1; seed <= 30; seed++) {
            // half the segments lost and a connect bound shorter than the client's first SYN retransmission
            Machine m = registry.create("lossy", "", Map.of("link.loss_ppm", "500000", "syscall.connect_timeout_ms", "150"),
                    Clock.CLOCK_VIRTUAL, seed);
            try (UserThread t = kernel.attach(m.id(), "connect")) {
                int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
                SyscallReply r = t.connect(fd, "bulk.test", 80);
                t.close(fd);
                if (r.getErrno() == Errno.ETIMEDOUT) {
                    timedOut++;
                    // the remote end goes with the socket, at once: nothing waits for its retransmissions
                    MachineStats now = m.loop().stats().get(5, TimeUnit.SECONDS);
                    assertThat(now.getCountersMap()).as("seed %d", seed).containsEntry("remote_peers", 0L);
                }
            }
            MachineStats stats = SimFixture.settled(m);
            assertThat(stats.getCountersMap()).as("seed %d", seed).containsEntry("quiescent", 1L).containsEntry("sockets_open", 0L);
            registry.delete(m.id());
        }
        System.out.println("connects timed out on a link losing 50%: " + timedOut + " of 30");
        assertThat(timedOut).as("the case under test happened").isPositive();
    }
}
