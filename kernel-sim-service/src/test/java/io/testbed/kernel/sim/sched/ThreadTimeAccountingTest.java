package io.testbed.kernel.sim.sched;

import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.ThreadStats;
import io.testbed.kernel.sim.SimFixture;
import io.testbed.kernel.sim.machine.Machine;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a thread's time went (issue 15): the per-state times in ThreadStats are disjoint and sum to the
 * thread's life, userspace CPU is the CPU it declared, and sleeps land in sleeping_ns.
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
}
