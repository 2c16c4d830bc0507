package io.testbed.kernel.sim.sched;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserCpuKind;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.ClockGettime;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.api.v1.ThreadStats;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.runtime.Machine;
import io.testbed.kernel.sim.syscall.ReplySink;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a thread's time went (issue 15): the per-state times in ThreadStats are disjoint and sum to the
 * thread's life, userspace CPU is the CPU it declared, by kind (TLS, pack, other) as declared, and sleeps
 * land in sleeping_ns.
 */
class ThreadTimeAccountingTest {
    private static final long MS = 1_000_000;

    @Test
    void theStateTimes_sumToTheThreadsLife_andNameItsUserCpuAndSleeps() throws Exception {
        try (SimFixture sim = SimFixture.machines()) {
            Machine m = sim.registry.create("acct", "", Map.of(), Clock.CLOCK_VIRTUAL, 7);
            try (UserThread t = sim.kernel.attach(m.id(), "acct")) {
                for (int i = 0; i < 20; i++) {
                    t.chargeUserCpu(3 * MS);
                    t.nanosleep(10 * MS);
                }
                MachineStats stats = m.loop().stats().get(5, TimeUnit.SECONDS);
                ThreadStats s = stats.getThreadsList().stream().filter(x -> x.getName().contains("acct")).findFirst().orElseThrow();
                long parts = s.getReadyNs() + s.getRunningNs() + s.getSleepingNs() + s.getIoWaitNs() + s.getOffCpuNs()
                        + s.getPollReadyNs() + s.getPollRunningNs();
                long life = stats.getNowNs() - s.getBornNs();
                System.out.printf("life %.3f ms: running %.3f (user %.3f), ready %.3f, sleeping %.3f%n", life / 1e6, s.getRunningNs() / 1e6,
                        s.getUserCpuNs() / 1e6, s.getReadyNs() / 1e6, s.getSleepingNs() / 1e6);
                assertThat(parts).isEqualTo(life);
                // 20 x 3 ms declared in userspace; its running time holds them and the syscalls' kernel work
                assertThat(s.getUserCpuNs()).isEqualTo(60 * MS);
                assertThat(s.getRunningNs()).isGreaterThanOrEqualTo(s.getUserCpuNs());
                // 20 sleeps of at least 10 ms each (Akuma's wfi sleeps end at a tick after the deadline)
                assertThat(s.getSleepingNs()).isGreaterThanOrEqualTo(200 * MS);
                assertThat(s.getIoWaitNs()).isZero();
            }
        }
    }

    @Test
    void userCpu_byKind_isWhatEachSyscallDeclared_evenWhenTicksPreemptTheRun() throws Exception {
        try (SimFixture sim = SimFixture.machines()) {
            Machine m = sim.registry.create("kinds", "", Map.of(), Clock.CLOCK_VIRTUAL, 7);
            try (UserThread t = sim.kernel.attach(m.id(), "kinds")) {
                for (int i = 0; i < 10; i++) {
                    // 1.5 ms of short runs, then a 25 ms run that the 10 ms tick preempts (and other threads interleave)
                    t.chargeUserCpu(UserCpuKind.TLS, MS);
                    t.chargeUserCpu(UserCpuKind.PACK, MS / 2);
                    t.nanosleep(MS);
                    t.chargeUserCpu(UserCpuKind.PACK, 12 * MS);
                    t.chargeUserCpu(UserCpuKind.TLS, 8 * MS);
                    t.chargeUserCpu(5 * MS); // no kind: other
                    t.nanosleep(MS);
                }
                ThreadStats s = threadNamed(m, "kinds");
                assertThat(s.getUserCpuTlsNs()).isEqualTo(90 * MS);
                assertThat(s.getUserCpuPackNs()).isEqualTo(125 * MS);
                assertThat(s.getUserCpuNs()).isEqualTo((90 + 125 + 50) * MS);
                assertThat(s.getRunningNs()).isGreaterThanOrEqualTo(s.getUserCpuNs());
            }
        }
    }

    @Test
    void aTlsOrPackPart_outsideTheWhole_isEinval_andRunsNoUserspace() throws Exception {
        try (SimFixture sim = SimFixture.machines()) {
            Machine m = sim.registry.create("bad-kinds", "", Map.of(), Clock.CLOCK_VIRTUAL, 7);
            RawThread t = new RawThread(m, "raw");
            assertThat(t.clock(5 * MS, 6 * MS, 0).getErrno()).as("TLS part above the whole").isEqualTo(Errno.EINVAL);
            assertThat(t.clock(5 * MS, 3 * MS, 3 * MS).getErrno()).as("TLS + pack above the whole").isEqualTo(Errno.EINVAL);
            assertThat(t.clock(5 * MS, -1, 0).getErrno()).as("a negative TLS part").isEqualTo(Errno.EINVAL);
            assertThat(t.clock(5 * MS, 0, Long.MIN_VALUE).getErrno()).as("a negative pack part").isEqualTo(Errno.EINVAL);
            assertThat(t.clock(5 * MS, 0, Long.MAX_VALUE).getErrno()).as("a pack part that overflows the sum").isEqualTo(Errno.EINVAL);
            assertThat(threadNamed(m, "raw").getUserCpuNs()).as("the refused requests ran no userspace").isZero();
            SyscallReply ok = t.clock(5 * MS, 2 * MS, 3 * MS);
            assertThat(ok.getErrno()).isZero();
            ThreadStats s = threadNamed(m, "raw");
            assertThat(s.getUserCpuNs()).isEqualTo(5 * MS);
            assertThat(s.getUserCpuTlsNs()).isEqualTo(2 * MS);
            assertThat(s.getUserCpuPackNs()).isEqualTo(3 * MS);
        }
    }

    private static ThreadStats threadNamed(Machine m, String name) throws Exception {
        MachineStats stats = m.loop().stats().get(5, TimeUnit.SECONDS);
        return stats.getThreadsList().stream().filter(x -> x.getName().contains(name)).findFirst().orElseThrow();
    }

    /** A thread that sends requests as given, user CPU fields included (UserThread fills them in itself). */
    private static final class RawThread implements ReplySink {
        private final Machine machine;
        private final LinkedBlockingQueue<SyscallReply> replies = new LinkedBlockingQueue<>();
        private final int tid;
        private long seq;

        RawThread(Machine machine, String name) throws Exception {
            this.machine = machine;
            this.tid = machine.loop().attach(name, this).get(5, TimeUnit.SECONDS);
        }

        SyscallReply clock(long userNs, long tlsNs, long packNs) throws InterruptedException {
            machine.loop().submit(tid, this, SyscallRequest.newBuilder().setSeq(++seq).setUserCpuNs(userNs).setUserCpuTlsNs(tlsNs)
                    .setUserCpuPackNs(packNs).setClockGettime(ClockGettime.newBuilder().setClockId(Errno.CLOCK_MONOTONIC)).build());
            SyscallReply r = replies.poll(5, TimeUnit.SECONDS);
            assertThat(r).as("a reply").isNotNull();
            return r;
        }

        @Override
        public void reply(SyscallReply reply) {
            replies.add(reply);
        }

        @Override
        public void ended(String reason) {
        }
    }
}
