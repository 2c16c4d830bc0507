package io.testbed.tls.client.policy;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** libakuma-tls's transport: read sleep 1 ms, write sleep 10 ms, forever (no idle bound) at 7b52ac2. */
@DisplayName("AkumaTlsTransport (akuma-tls)")
class AkumaTlsTransportTest {

    /** Records the nanosleeps asked for; answers every syscall at once. */
    static final class Sleeps implements UserThread {
        final List<Long> ns = new ArrayList<>();

        @Override
        public int tid() {
            return 1;
        }

        @Override
        public SyscallReply invoke(SyscallRequest.Builder request) {
            if (request.getCallCase() == SyscallRequest.CallCase.NANOSLEEP) {
                ns.add(request.getNanosleep().getNs());
            }
            return SyscallReply.getDefaultInstance();
        }

        @Override
        public void chargeUserCpu(io.testbed.kernel.api.UserCpuKind kind, long nanos) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    @DisplayName("defaults to the seed's commit: 1 ms on a read, 10 ms on a write, no idle bound")
    void defaults_seedCommit() throws java.io.IOException {
        WouldBlockPolicy p = WouldBlockPolicies.create(PolicySpec.of("akuma-tls"));
        Sleeps t = new Sleeps();
        p.onWouldBlock(t, 3, Errno.POLLIN, 1);
        p.onWouldBlock(t, 3, Errno.POLLOUT, 1);
        p.onWouldBlock(t, 3, Errno.POLLIN, 1_000_000);

        assertThat(t.ns).containsExactly(1_000_000L, 10_000_000L, 1_000_000L);
        assertThat(p.idleTimeoutReads()).isEqualTo(WouldBlockPolicy.UNBOUNDED_READS);
        assertThat(p.idleTimeoutNs()).isZero();
        assertThat(p.label()).isEqualTo("akuma-tls: read sleep 1 ms, write sleep 10 ms, no idle bound");
        assertThat(p.effective()).isEqualTo(new PolicySpec("akuma-tls", 1, null, null, null, null, null, null, 10));
        assertThat(WouldBlockPolicies.create(p.effective()).label()).isEqualTo(p.label());
    }

    @Test
    @DisplayName("takes 9528e2a7's 10 ms read sleep, another write sleep, and an idle bound if asked")
    void parameters_andOptionalBound() throws java.io.IOException {
        WouldBlockPolicy p = WouldBlockPolicies.create(new PolicySpec("akuma-tls", 10, 500, null, null, null, null, null, 1));
        Sleeps t = new Sleeps();
        p.onWouldBlock(t, 3, Errno.POLLIN, 1);
        p.onWouldBlock(t, 3, Errno.POLLOUT, 1);

        assertThat(t.ns).containsExactly(10_000_000L, 1_000_000L);
        assertThat(p.idleTimeoutReads()).isEqualTo(500);
        assertThat(p.label()).isEqualTo("akuma-tls: read sleep 10 ms, write sleep 1 ms, idle 500 reads");
    }

    @Test
    @DisplayName("refuses sleeps out of 0..10000, naming the field")
    void outOfRange_refused() {
        assertThatThrownBy(() -> WouldBlockPolicies.create(new PolicySpec("akuma-tls", 10_001, null)))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.field()).isEqualTo("policy.sleepMs"));
        assertThatThrownBy(() -> WouldBlockPolicies.create(new PolicySpec("akuma-tls", null, null, null, null, null, null, null, -1)))
                .hasMessageContaining("0..10000")
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.field()).isEqualTo("policy.writeSleepMs"));
    }
}
