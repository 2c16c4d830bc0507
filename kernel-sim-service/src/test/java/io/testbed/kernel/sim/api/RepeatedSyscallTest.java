package io.testbed.kernel.sim.api;

import io.testbed.kernel.api.Counters;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.KernelException;
import io.testbed.kernel.api.RepeatedCalls;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.api.v1.Poll;
import io.testbed.kernel.api.v1.PollFd;
import io.testbed.kernel.api.v1.RecvFrom;
import io.testbed.kernel.api.v1.RepeatOnWouldBlock;
import io.testbed.kernel.api.v1.Step;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.GrpcFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code SyscallRequest.repeat} over a real gRPC server and channel: the kernel runs a would-block loop
 * (recvfrom, wait, recvfrom, ...), stops where the request says, lists every call before the last in
 * {@code steps}, and refuses a malformed repeat with EINVAL without running it.
 */
class RepeatedSyscallTest {
    private static final long MS = 1_000_000L;
    private GrpcFixture grpc;
    private String machineId;

    @BeforeEach
    void setUp() throws Exception {
        grpc = GrpcFixture.withBulkServer(Duration.ofSeconds(30));
        machineId = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).setSeed(7).build()).getId();
    }

    @AfterEach
    void tearDown() throws Exception {
        grpc.close();
    }

    @Test
    void aSilentPeer_theLoopStopsAtMaxWouldBlocks_withEveryCallAsAStep() {
        try (UserThread t = grpc.kernel.attach(machineId, "repeat")) {
            int fd = connected(t);
            SyscallReply r = t.invoke(recv(fd, sleep(10).setMaxWouldBlocks(5).setIdleSinceNs(-1)));

            assertThat(r.getRet()).isEqualTo(-1);
            assertThat(r.getErrno()).isEqualTo(Errno.EAGAIN);
            List<Step> steps = r.getStepsList();
            assertThat(steps).hasSize(8); // recvfrom, nanosleep x 4, then the 5th recvfrom is the reply
            long last = -1;
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                int call = i % 2 == 0 ? SyscallRequest.RECVFROM_FIELD_NUMBER : SyscallRequest.NANOSLEEP_FIELD_NUMBER;
                assertThat(s.getCall()).as("step %d", i).isEqualTo(call);
                if (call == SyscallRequest.RECVFROM_FIELD_NUMBER) {
                    assertThat(s.getErrno()).isEqualTo(Errno.EAGAIN);
                } else {
                    assertThat(s.getRet()).isZero();
                    assertThat(s.getExitTimeNs() - s.getEntryTimeNs()).isGreaterThanOrEqualTo(10 * MS);
                }
                assertThat(s.getEntryTimeNs()).isGreaterThanOrEqualTo(last);
                assertThat(s.getExitTimeNs()).isGreaterThanOrEqualTo(s.getEntryTimeNs());
                last = s.getExitTimeNs();
            }
            assertThat(r.getEntryTimeNs()).isGreaterThanOrEqualTo(last);
            assertThat(RepeatedCalls.lastCall(recv(fd, sleep(10)), r)).isEqualTo(SyscallRequest.CallCase.RECVFROM);
        }
        assertThat(counter(Counters.REPEATED_SYSCALLS)).isEqualTo(8);
        assertThat(counter(Counters.SYSCALLS_PREFIX + "recvfrom")).isEqualTo(5);
        assertThat(counter(Counters.SYSCALLS_PREFIX + "nanosleep")).isEqualTo(4);
    }

    @Test
    void anIdleBound_stopsAtTheFirstEagainPastIt() {
        try (UserThread t = grpc.kernel.attach(machineId, "idle")) {
            int fd = connected(t);
            SyscallReply r = t.invoke(recv(fd, sleep(10).setMaxWouldBlocks(RepeatedCalls.MAX_WOULD_BLOCKS)
                    .setIdleSinceNs(-1).setIdleBoundNs(35 * MS)));

            assertThat(r.getErrno()).isEqualTo(Errno.EAGAIN);
            long since = r.getSteps(0).getEntryTimeNs();
            assertThat(r.getExitTimeNs() - since).isGreaterThanOrEqualTo(35 * MS);
            // every EAGAIN before the reply was within the bound
            for (Step s : r.getStepsList()) {
                if (s.getCall() == SyscallRequest.RECVFROM_FIELD_NUMBER) {
                    assertThat(s.getExitTimeNs() - since).isLessThan(35 * MS);
                }
            }
            // an idle start given by the client (an earlier request's first EAGAIN) already past the bound: one call
            SyscallReply again = t.invoke(recv(fd, sleep(10).setMaxWouldBlocks(100).setIdleSinceNs(since).setIdleBoundNs(35 * MS)));
            assertThat(again.getErrno()).isEqualTo(Errno.EAGAIN);
            assertThat(again.getStepsCount()).isZero();
        }
    }

    @Test
    void dataArriving_endsTheLoopWithTheData() {
        try (UserThread t = grpc.kernel.attach(machineId, "data")) {
            int fd = connected(t);
            byte[] ask = "3000\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(t.sendto(fd, ask, 0, ask.length, 0).getRet()).isEqualTo(ask.length);
            List<Integer> got = new ArrayList<>();
            int total = 0;
            while (total < 3000) {
                SyscallReply r = t.invoke(recv(fd, sleep(10).setMaxWouldBlocks(1000).setIdleSinceNs(-1)));
                assertThat(r.getRet()).as("a read with data, after %d steps", r.getStepsCount()).isPositive();
                got.add(r.getStepsCount());
                total += (int) r.getRet();
            }
            assertThat(total).isEqualTo(3000);
            assertThat(got).as("the first read waited for the upstream through the kernel's loop").first().isNotEqualTo(0);
        }
    }

    @Test
    void aFailingWait_endsTheLoop_withTheWaitsAnswer() {
        try (UserThread t = grpc.kernel.attach(machineId, "poll")) {
            int fd = connected(t);
            RepeatOnWouldBlock.Builder poll = RepeatOnWouldBlock.newBuilder().setMaxWouldBlocks(10).setIdleSinceNs(-1)
                    .setPoll(Poll.newBuilder().setTimeoutMs(10).addFds(PollFd.newBuilder().setFd(fd).setEvents(Errno.POLLIN)));
            SyscallRequest.Builder req = recv(fd, poll);
            SyscallReply r = t.invoke(req);
            // the default machine has no poll syscall (as Akuma): the first wait fails and is the answer
            assertThat(r.getErrno()).isEqualTo(Errno.ENOSYS);
            assertThat(r.getStepsCount()).isEqualTo(1);
            assertThat(r.getSteps(0).getErrno()).isEqualTo(Errno.EAGAIN);
            assertThat(RepeatedCalls.lastCall(req, r)).isEqualTo(SyscallRequest.CallCase.POLL);
        }
    }

    @Test
    void aMalformedRepeat_isEinval_andRunsNothing() {
        try (UserThread t = grpc.kernel.attach(machineId, "bad")) {
            int fd = connected(t);
            long before = counter(Counters.SYSCALLS_PREFIX + "recvfrom");
            List<SyscallRequest.Builder> bad = List.of(
                    recv(fd, sleep(10).setMaxWouldBlocks(0)),
                    recv(fd, sleep(10).setMaxWouldBlocks(RepeatedCalls.MAX_WOULD_BLOCKS + 1)),
                    recv(fd, sleep(10).setMaxWouldBlocks(3).setIdleSinceNs(-2)),
                    recv(fd, sleep(10).setMaxWouldBlocks(3).setIdleBoundNs(-1)),
                    SyscallRequest.newBuilder().setNanosleep(Nanosleep.newBuilder().setNs(MS))
                            .setRepeat(sleep(1).setMaxWouldBlocks(3)));
            for (SyscallRequest.Builder b : bad) {
                SyscallReply r = t.invoke(b);
                assertThat(r.getRet()).as("%s", b).isEqualTo(-1);
                assertThat(r.getErrno()).as("%s", b).isEqualTo(Errno.EINVAL);
                assertThat(r.getStepsCount()).isZero();
            }
            assertThat(counter(Counters.SYSCALLS_PREFIX + "recvfrom")).as("nothing ran").isEqualTo(before);
            // the thread goes on
            assertThat(t.invoke(recv(fd, sleep(1).setMaxWouldBlocks(2))).getErrno()).isEqualTo(Errno.EAGAIN);
        }
    }

    @Test
    void aThreadEndedInsideTheLoop_firstGetsTheCallsThatCompleted_thenTheEnd() {
        String limited = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).setSeed(7)
                .putOverrides("machine.max_simulated_s", "1").build()).getId();
        UserThread t = grpc.kernel.attach(limited, "cut");
        int fd = connected(t);
        SyscallReply r = t.invoke(recv(fd, sleep(10).setMaxWouldBlocks(RepeatedCalls.MAX_WOULD_BLOCKS).setIdleSinceNs(-1)));

        // the machine's time limit (1 s) came long before 4096 x 10 ms: the reply is the last completed call
        assertThat(r.getStepsCount()).isGreaterThan(10);
        assertThat(r.getExitTimeNs()).isLessThanOrEqualTo(1_000_000_000L);
        long calls = 1 + r.getStepsCount();
        long recvs = r.getStepsList().stream().filter(s -> s.getCall() == SyscallRequest.RECVFROM_FIELD_NUMBER).count()
                + (RepeatedCalls.lastCall(recv(fd, sleep(10)), r) == SyscallRequest.CallCase.RECVFROM ? 1 : 0);
        assertThat(grpc.admin.stats(MachineRef.newBuilder().setId(limited).build()).getCountersOrThrow(Counters.REPEATED_SYSCALLS))
                .as("the kernel's: every completed call but the first, and the one in flight at the end").isEqualTo(calls);
        assertThat(recvs).isPositive();
        assertThatThrownBy(() -> t.clockGettime(Errno.CLOCK_MONOTONIC)).isInstanceOf(KernelException.class)
                .hasMessageContaining("max_simulated_s");
    }

    @Test
    void atTheStopTime_theLoopAnswersEarly_andTheClientsNextRequestTakesOverTheCallInFlight() throws Exception {
        String stopping = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).setSeed(7)
                .putOverrides("machine.stop_at_ms", "500").build()).getId();
        try (UserThread t = grpc.kernel.attach(stopping, "stop")) {
            int fd = connected(t);
            SyscallRequest.Builder loop = recv(fd, sleep(10).setMaxWouldBlocks(RepeatedCalls.MAX_WOULD_BLOCKS).setIdleSinceNs(-1));
            SyscallReply early = t.invoke(loop.clone());

            // the machine stands at 500 ms with a nanosleep of the loop in flight: the reply is the EAGAIN before it
            assertThat(early.getErrno()).isEqualTo(Errno.EAGAIN);
            assertThat(early.getStepsCount()).isGreaterThan(10);
            assertThat(early.getExitTimeNs()).isLessThanOrEqualTo(500 * MS);
            assertThat(RepeatedCalls.lastCall(loop, early)).isEqualTo(SyscallRequest.CallCase.RECVFROM);
            assertThat(state(stopping)).as("not held before the client took the answer in").isNotEqualTo("held");

            // the client's next call, the loop's nanosleep, takes over the one in flight: the machine is then held
            java.util.concurrent.CompletableFuture<SyscallReply> next = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> t.nanosleep(10 * MS));
            for (int i = 0; i < 200 && !"held".equals(state(stopping)); i++) {
                Thread.sleep(10);
            }
            assertThat(state(stopping)).isEqualTo("held");
            long sleeps = grpc.admin.stats(MachineRef.newBuilder().setId(stopping).build())
                    .getCountersOrThrow(Counters.SYSCALLS_PREFIX + "nanosleep");
            assertThat(sleeps).as("the nanosleep ran once, not again").isEqualTo((early.getStepsCount() + 1) / 2);
            assertThat(next).isNotDone();
        } finally {
            grpc.admin.delete(MachineRef.newBuilder().setId(stopping).build());
        }
    }

    @Test
    void afterAnEarlyAnswer_aDifferentRequest_killsTheThread() {
        String stopping = grpc.admin.create(CreateMachineRequest.newBuilder().setClock(Clock.CLOCK_VIRTUAL).setSeed(7)
                .putOverrides("machine.stop_at_ms", "500").build()).getId();
        try (UserThread t = grpc.kernel.attach(stopping, "stop")) {
            int fd = connected(t);
            SyscallReply early = t.invoke(recv(fd, sleep(10).setMaxWouldBlocks(RepeatedCalls.MAX_WOULD_BLOCKS).setIdleSinceNs(-1)));
            assertThat(early.getStepsCount()).isPositive();
            assertThatThrownBy(() -> t.nanosleep(20 * MS)).isInstanceOf(KernelException.class)
                    .hasMessageContaining("the next request must be the call it had in flight (nanosleep");
        } finally {
            grpc.admin.delete(MachineRef.newBuilder().setId(stopping).build());
        }
    }

    private String state(String id) {
        return grpc.admin.get(MachineRef.newBuilder().setId(id).build()).getState();
    }

    private int connected(UserThread t) {
        int fd = (int) t.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
        assertThat(t.connect(fd, "bulk.test", 80).getRet()).isZero();
        return fd;
    }

    private static RepeatOnWouldBlock.Builder sleep(long ms) {
        return RepeatOnWouldBlock.newBuilder().setNanosleep(Nanosleep.newBuilder().setNs(ms * MS));
    }

    private static SyscallRequest.Builder recv(int fd, RepeatOnWouldBlock.Builder repeat) {
        return SyscallRequest.newBuilder().setRecvfrom(RecvFrom.newBuilder().setFd(fd).setLen(1024)).setRepeat(repeat);
    }

    private long counter(String name) {
        return grpc.admin.stats(MachineRef.newBuilder().setId(machineId).build()).getCountersOrDefault(name, 0);
    }
}
