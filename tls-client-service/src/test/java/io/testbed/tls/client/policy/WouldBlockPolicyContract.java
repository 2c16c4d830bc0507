package io.testbed.tls.client.policy;

import io.testbed.kernel.api.UserThread;
import io.testbed.tls.client.kernel.HostKernel;
import io.testbed.tls.client.transport.AccountingThread;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What every would-block policy must do; one subclass per implementation. */
abstract class WouldBlockPolicyContract {

    /** A policy with its default parameters. */
    abstract WouldBlockPolicy policy();

    @Nested
    @DisplayName("when registered")
    class Registration {
        @Test
        @DisplayName("is created by its name")
        void createdByName() {
            WouldBlockPolicy p = policy();
            assertThat(WouldBlockPolicies.names()).contains(p.name());
            assertThat(WouldBlockPolicies.create(new PolicySpec(p.name(), null, null)).name()).isEqualTo(p.name());
        }

        @Test
        @DisplayName("has a positive idle bound and a label")
        void idleBoundAndLabel() {
            assertThat(policy().idleTimeoutReads()).isPositive();
            assertThat(policy().label()).isNotBlank();
        }
    }

    @Nested
    @DisplayName("on would-block")
    class OnWouldBlock {
        @Test
        @DisplayName("waits only through syscalls on the thread it is given")
        void waitsThroughSyscalls() {
            IoStats stats = new IoStats();
            try (UserThread raw = new HostKernel(Map.of()).attach("host", "policy-test")) {
                AccountingThread thread = new AccountingThread(raw, stats);
                long before = System.nanoTime();
                policy().onWouldBlock(thread, 1);
                long wall = System.nanoTime() - before;
                // whatever real time passed, it passed inside syscalls (nanosleep, sched_yield, poll)
                assertThat(stats.syscalls()).isPositive();
                assertThat(wall - stats.elapsedNs()).isLessThan(5_000_000L);
            }
        }
    }
}
