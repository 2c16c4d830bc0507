package io.testbed.kernel.sim.api;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.Poll;
import io.testbed.kernel.api.v1.PollFd;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.sim.BulkServer;
import io.testbed.kernel.sim.GrpcFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, item 1: no single request can pin a kernel-sim core. Every time-like syscall input is
 * bounded (EINVAL), a single call that keeps the engine busy too long is killed by a watchdog, and a
 * machine stops at {@code machine.max_simulated_s}. All over real gRPC, on virtual-clock machines
 * (where simulated time runs as fast as the engine can go).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeBoundsTest {
    private GrpcFixture grpc;

    @BeforeAll
    void start() throws Exception {
        grpc = GrpcFixture.withBulkServer(Duration.ofSeconds(15));
    }

    @AfterAll
    void stop() throws Exception {
        grpc.close();
    }

    private String virtualMachine(Map<String, String> overrides) {
        return grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).putAllOverrides(overrides).build()).getId();
    }

    private Map<String, Long> counters(String id) {
        return grpc.admin.stats(MachineRef.newBuilder().setId(id).build()).getCountersMap();
    }

    @Test
    void userCpuNs_aboveTheCapOrOverflowing_isEinval_atOnce() {
        String m = virtualMachine(Map.of());
        for (long declared : new long[] {4_000_000_000_000_000_000L, Long.MAX_VALUE, 3_600_000_000_001L}) {
            try (UserThread t = grpc.kernel.attach(m, "greedy")) {
                long wall0 = System.nanoTime();
                t.chargeUserCpu(declared);
                SyscallReply r = t.clockGettime(Errno.CLOCK_MONOTONIC);
                assertThat(r.getErrno()).as("user_cpu_ns %d", declared).isEqualTo(Errno.EINVAL);
                assertThat(r.getRet()).isEqualTo(-1);
                assertThat((System.nanoTime() - wall0) / 1_000_000).as("ms to the reply").isLessThan(5_000);
                // the bad request ran no userspace: simulated time barely moved
                assertThat(r.getExitTimeNs()).isLessThan(1_000_000_000L);
            }
        }
        // a value under the cap is userspace time, as before: 100 s simulated, then the call
        try (UserThread t = grpc.kernel.attach(m, "fine")) {
            t.chargeUserCpu(100_000_000_000L);
            SyscallReply r = t.clockGettime(Errno.CLOCK_MONOTONIC);
            assertThat(r.getErrno()).isZero();
            assertThat(r.getRet()).isGreaterThanOrEqualTo(100_000_000_000L);
        }
    }

    @Test
    void pollTimeout_overAnHour_isEinval() {
        String m = virtualMachine(Map.of("syscall.poll", "enabled"));
        try (UserThread t = grpc.kernel.attach(m, "poller")) {
            for (int timeout : new int[] {Integer.MAX_VALUE, 3_600_001}) {
                SyscallReply r = t.poll(Poll.newBuilder().setTimeoutMs(timeout).build());
                assertThat(r.getErrno()).as("timeout %d", timeout).isEqualTo(Errno.EINVAL);
            }
            // a timeout under the cap is a wait, as before (an hour's polled wait would outlast the
            // per-call watchdog on this profile: its poll yields each step, about 40 simulated s per real s)
            SyscallReply r = t.poll(Poll.newBuilder().setTimeoutMs(10_000).build());
            assertThat(r.getErrno()).isZero();
            assertThat(r.getRet()).isZero();
            assertThat(r.getExitTimeNs() - r.getEntryTimeNs()).isGreaterThanOrEqualTo(10_000_000_000L);
        }
    }

    @Test
    void infinitePoll_thatNothingCanEverWake_isEinval() {
        String m = virtualMachine(Map.of("syscall.poll", "enabled"));
        try (UserThread t = grpc.kernel.attach(m, "poller")) {
            long wall0 = System.nanoTime();
            assertThat(t.poll(Poll.newBuilder().setTimeoutMs(-1).build()).getErrno()).isEqualTo(Errno.EINVAL);
            int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
            SyscallReply r = t.poll(Poll.newBuilder().setTimeoutMs(-1)
                    .addFds(PollFd.newBuilder().setFd(fd).setEvents(Errno.POLLIN)).build());
            assertThat(r.getErrno()).isEqualTo(Errno.EINVAL);
            assertThat((System.nanoTime() - wall0) / 1_000_000).isLessThan(5_000);
            // a connected socket can be woken: poll(-1) on it is accepted and returns once data comes
            assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
            byte[] req = BulkServer.request(1000);
            t.sendto(fd, req, 0, req.length, 0);
            SyscallReply ready = t.poll(Poll.newBuilder().setTimeoutMs(-1)
                    .addFds(PollFd.newBuilder().setFd(fd).setEvents(Errno.POLLIN)).build());
            assertThat(ready.getErrno()).isZero();
            assertThat(ready.getRet()).isEqualTo(1);
        }
    }

    @Test
    void aCallThatKeepsTheEngineBusyTooLong_isKilledByTheWatchdog_andTheMachineStaysUsable() {
        // an hour's sleep is a legal call; with a 100 ms watchdog it cannot finish (Akuma's ticks take longer)
        String m = virtualMachine(Map.of("watchdog.syscall_wall_ms", "100"));
        long wall0 = System.nanoTime();
        try (UserThread t = grpc.kernel.attach(m, "sleeper")) {
            assertThatThrownBy(() -> t.nanosleep(3_600_000_000_000L))
                    .isInstanceOf(KernelException.class)
                    .hasMessageContaining("watchdog: syscall nanosleep kept the engine busy")
                    .hasMessageContaining("watchdog.syscall_wall_ms 100");
        }
        assertThat((System.nanoTime() - wall0) / 1_000_000).isLessThan(10_000);
        assertThat(counters(m)).containsEntry("watchdog_syscall_kills", 1L).containsEntry("user_threads", 0L);
        try (UserThread t = grpc.kernel.attach(m, "after")) {
            assertThat(t.clockGettime(Errno.CLOCK_MONOTONIC).getErrno()).isZero();
        }
    }

    @Test
    void anHoursNanosleep_withAConnectedSocket_isAnswered_itsIdleStretchesCrossedInBulk() throws Exception {
        // issue 16: the idle loop and the network thread's empty polls between the ticks are crossed by the fast-forward
        // (engine.fast_forward, exact); the call is answered instead of ended by the watchdog (~1520 simulated s before).
        // Its own fixture: a reply timeout and a watchdog long enough for a loaded 2-core machine (~2-3 s when quiet)
        try (GrpcFixture own = GrpcFixture.withBulkServer(Duration.ofSeconds(120))) {
            String m = own.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL)
                    .putOverrides("watchdog.syscall_wall_ms", "110000").build()).getId();
            long wall0 = System.nanoTime();
            try (UserThread t = own.kernel.attach(m, "sleeper")) {
                int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
                assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
                SyscallReply r = t.nanosleep(3_600_000_000_000L);
                assertThat(r.getErrno()).isZero();
                assertThat(r.getRet()).isZero();
                assertThat(r.getExitTimeNs() - r.getEntryTimeNs()).isGreaterThanOrEqualTo(3_600_000_000_000L);
            }
            double wall = (System.nanoTime() - wall0) / 1e9;
            Map<String, Long> c = own.admin.stats(MachineRef.newBuilder().setId(m).build()).getCountersMap();
            System.out.printf("an hour's nanosleep answered in %.2f s of wall time: %d passes, %d crossed in %d jumps%n", wall,
                    c.get("passes"), c.get("ff_skipped_passes"), c.get("ff_jumps"));
            assertThat(c).containsEntry("watchdog_syscall_kills", 0L);
            assertThat(c.get("ff_skipped_passes")).isGreaterThan(c.get("passes") * 9 / 10);
        }
    }

    @Test
    void aMachineStopsAtMaxSimulatedSeconds_killsItsThreads_andRefusesNewOnes() {
        String m = virtualMachine(Map.of("machine.max_simulated_s", "5"));
        try (UserThread t = grpc.kernel.attach(m, "long")) {
            assertThat(t.nanosleep(1_000_000_000L).getErrno()).isZero();
            assertThatThrownBy(() -> t.nanosleep(60_000_000_000L))
                    .isInstanceOf(KernelException.class)
                    .hasMessageContaining("machine.max_simulated_s reached");
        }
        Map<String, Long> c = counters(m);
        assertThat(c).containsEntry("at_time_limit", 1L).containsEntry("time_limit_kills", 1L).containsEntry("user_threads", 0L);
        long now = grpc.admin.stats(MachineRef.newBuilder().setId(m).build()).getNowNs();
        // the bound is checked at the machine's events: at most one drifting tick period (10 ms + 2.5 ms latency) late
        assertThat(now).isBetween(4_900_000_000L, 5_012_500_000L);
        assertThatThrownBy(() -> grpc.kernel.attach(m, "late"))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("FAILED_PRECONDITION")
                .hasMessageContaining("machine.max_simulated_s");
    }
}
