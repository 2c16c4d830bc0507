package io.testbed.kernel.sim;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.api.inprocess.InProcessKernel;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VirtualDownloadTest {
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

    record Result(long bytes, long simulatedNs, long wouldBlocks, MachineStats stats) {
    }

    Result download(long n, long sleepNs, Map<String, String> overrides) throws Exception {
        return download(n, sleepNs, overrides, 1);
    }

    Result download(long n, long sleepNs, Map<String, String> overrides, long seed) throws Exception {
        Machine m = registry.create("t", "", overrides, Clock.CLOCK_VIRTUAL, seed);
        long got = 0;
        long wouldBlocks = 0;
        long first;
        long last;
        try (UserThread t = kernel.attach(m.id(), "dl")) {
            SyscallReply r = t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0);
            first = r.getEntryTimeNs();
            int fd = (int) r.getRet();
            assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
            byte[] req = BulkServer.request(n);
            assertThat(t.sendto(fd, req, 0, req.length, 0).getRet()).isEqualTo(req.length);
            while (true) {
                r = t.recvfrom(fd, 4096, 0);
                if (r.getRet() < 0) {
                    assertThat(r.getErrno()).isEqualTo(Errno.EAGAIN);
                    wouldBlocks++;
                    t.nanosleep(sleepNs);
                    continue;
                }
                if (r.getRet() == 0) {
                    break;
                }
                byte[] d = r.getData().toByteArray();
                for (int i = 0; i < d.length; i++) {
                    assertThat(d[i]).isEqualTo(BulkServer.expected(got + i));
                }
                got += d.length;
            }
            last = t.close(fd).getExitTimeNs();
        }
        MachineStats stats = SimFixture.settled(m);
        assertThat(stats.getCountersMap().get("quiescent")).as("machine settles").isEqualTo(1L);
        registry.delete(m.id());
        return new Result(got, last - first, wouldBlocks, stats);
    }

    @Test
    void bulkDownload_sleepOnEagain_deliversEveryByteInOrder() throws Exception {
        Result r = download(256 * 1024, 10_000_000, Map.of());
        System.out.printf("256 KiB sleep 10ms: simulated %.3f s, would-blocks %d, counters %s%n",
                r.simulatedNs / 1e9, r.wouldBlocks, r.stats.getCountersMap());
        assertThat(r.bytes).isEqualTo(256 * 1024);
        assertThat(r.simulatedNs).isPositive();
    }

    @Test
    void sameSeedTwice_identicalTimingAndTrace() throws Exception {
        Result a = download(128 * 1024, 1_000_000, Map.of());
        Result b = download(128 * 1024, 1_000_000, Map.of());
        assertThat(b.simulatedNs).isEqualTo(a.simulatedNs);
        assertThat(b.wouldBlocks).isEqualTo(a.wouldBlocks);
        assertThat(b.stats.getCountersMap().get("trace_hash")).isEqualTo(a.stats.getCountersMap().get("trace_hash"));
    }

    @Test
    void hiresSleeps_1msDownloadFasterThan10ms() throws Exception {
        // without smoltcp's window clamp: with it (1474 B per round trip, about 680 kB/s on the default link)
        // the network, not the sleep, bounds the 1 ms case, and this test is about sleeps
        Map<String, String> hires = Map.of("sleep.model", "hires", "nic.max_burst_size", "0");
        Result ten = download(256 * 1024, 10_000_000, hires);
        Result one = download(256 * 1024, 1_000_000, hires);
        System.out.printf("256 KiB, hires sleeps: 10ms %.3f s, 1ms %.3f s%n", ten.simulatedNs / 1e9, one.simulatedNs / 1e9);
        assertThat(one.simulatedNs).isLessThan(ten.simulatedNs / 2);
    }

    @Test
    void wfiUntilTickSleeps_1msSleepGainsLittleOrNothing() throws Exception {
        Result ten = download(256 * 1024, 10_000_000, Map.of());
        Result one = download(256 * 1024, 1_000_000, Map.of());
        System.out.printf("256 KiB, wfi-until-tick sleeps: 10ms %.3f s, 1ms %.3f s%n", ten.simulatedNs / 1e9, one.simulatedNs / 1e9);
        // every sleep idles the core until the next 10 ms tick, so a 1 ms sleep is no 10x win
        assertThat(one.simulatedNs).isGreaterThan(ten.simulatedNs / 2);
    }

    @Test
    void lossyJitteryLink_everyByteStillArrivesInOrder() throws Exception {
        Result r = download(128 * 1024, 1_000_000, Map.of("link.loss_ppm", "50000", "link.jitter_us", "2000"));
        System.out.printf("128 KiB, 5%% loss, 2 ms jitter: simulated %.3f s, lost %d, retransmits remote %d local %d%n",
                r.simulatedNs / 1e9, r.stats.getCountersMap().get("segments_lost"),
                r.stats.getCountersMap().get("retransmits_remote"), r.stats.getCountersMap().get("retransmits_local"));
        assertThat(r.bytes).isEqualTo(128 * 1024);
        assertThat(r.stats.getCountersMap().get("segments_lost")).isPositive();
        assertThat(r.stats.getCountersMap().get("retransmits_remote")).isPositive();
    }

    @Test
    void lossyLink_sameSeedSameTrace_otherSeedOtherTrace() throws Exception {
        Map<String, String> lossy = Map.of("link.loss_ppm", "30000", "link.jitter_us", "1000");
        long a = download(64 * 1024, 1_000_000, lossy, 11).stats.getCountersMap().get("trace_hash");
        long b = download(64 * 1024, 1_000_000, lossy, 11).stats.getCountersMap().get("trace_hash");
        long c = download(64 * 1024, 1_000_000, lossy, 12).stats.getCountersMap().get("trace_hash");
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void irqWakeup_blockingRecv_neverWouldBlocks_andBeatsAkumasPolledStack() throws Exception {
        Result polled = download(256 * 1024, 1_000_000, Map.of());
        Result irq = download(256 * 1024, 1_000_000, Map.of("net.poll_mode", "irq-wakeup"));
        System.out.printf("256 KiB: poller-thread (wfi-until-tick 1 ms sleeps) %.3f s, irq-wakeup %.3f s%n",
                polled.simulatedNs / 1e9, irq.simulatedNs / 1e9);
        assertThat(irq.bytes).isEqualTo(256 * 1024);
        assertThat(irq.wouldBlocks).isZero();
        assertThat(irq.simulatedNs).isLessThan(polled.simulatedNs);
    }

    @Test
    void directPoll_syscallsPollTheStack_deliversEveryByte() throws Exception {
        Result r = download(128 * 1024, 1_000_000, Map.of("net.poll_mode", "direct-poll"));
        assertThat(r.bytes).isEqualTo(128 * 1024);
    }

    @Test
    void pollSyscall_disabledByDefault_enabledWaitsForData() throws Exception {
        io.testbed.kernel.api.v1.Poll pollIn = io.testbed.kernel.api.v1.Poll.newBuilder().setTimeoutMs(5000)
                .addFds(io.testbed.kernel.api.v1.PollFd.newBuilder().setFd(3).setEvents(Errno.POLLIN)).build();
        Machine plain = registry.create("p", "", Map.of(), Clock.CLOCK_VIRTUAL, 1);
        try (UserThread t = kernel.attach(plain.id(), "poller")) {
            assertThat(t.poll(pollIn).getErrno()).isEqualTo(Errno.ENOSYS);
        }
        for (String mode : new String[]{"poller-thread", "irq-wakeup"}) {
            Machine m = registry.create("p", "", Map.of("syscall.poll", "enabled", "net.poll_mode", mode), Clock.CLOCK_VIRTUAL, 1);
            try (UserThread t = kernel.attach(m.id(), "poller")) {
                int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
                assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
                io.testbed.kernel.api.v1.Poll idle = io.testbed.kernel.api.v1.Poll.newBuilder().setTimeoutMs(20)
                        .addFds(io.testbed.kernel.api.v1.PollFd.newBuilder().setFd(fd).setEvents(Errno.POLLIN)).build();
                SyscallReply timedOut = t.poll(idle);
                assertThat(timedOut.getRet()).as(mode).isZero();
                assertThat(timedOut.getExitTimeNs() - timedOut.getEntryTimeNs()).isGreaterThanOrEqualTo(20_000_000L);
                byte[] req = BulkServer.request(1000);
                t.sendto(fd, req, 0, req.length, 0);
                SyscallReply ready = t.poll(pollIn);
                assertThat(ready.getRet()).as(mode).isEqualTo(1);
                assertThat(ready.getRevents(0) & Errno.POLLIN).isEqualTo(Errno.POLLIN);
                assertThat(t.recvfrom(fd, 4096, 0).getRet()).isPositive();
            }
        }
    }

    @Test
    void nicDropsFramesWithoutABuffer_retransmissionStillDeliversEverything() throws Exception {
        // a 16 KiB window lets slirp send bursts of its 6-segment send buffer into the single RX buffer (without
        // net-machine's window clamp, on by default, which would allow one segment at a time: merge fix)
        Result r = download(256 * 1024, 1_000_000, Map.of("nic.full_policy", "drop", "sleep.model", "hires",
                "socket.rx_buffer", "16384", "nic.max_burst_size", "0"));
        System.out.printf("256 KiB, NIC drop policy: simulated %.3f s, dropped %d, remote retransmits %d%n", r.simulatedNs / 1e9,
                r.stats.getCountersMap().get("nic_frames_dropped"), r.stats.getCountersMap().get("retransmits_remote"));
        assertThat(r.bytes).isEqualTo(256 * 1024);
        assertThat(r.stats.getCountersMap().get("nic_frames_dropped")).isPositive();
        assertThat(r.stats.getCountersMap().get("retransmits_remote")).isPositive();
    }
}
