package io.testbed.tls.client.policy;

import io.testbed.kernel.api.UserThread;
import io.testbed.tls.client.kernel.HostKernel;
import io.testbed.tls.client.transport.AccountingThread;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("SleepOnWouldBlock (sleep)")
class SleepOnWouldBlockTest extends WouldBlockPolicyContract {

    @Override
    WouldBlockPolicy policy() {
        return WouldBlockPolicies.create(PolicySpec.of("sleep"));
    }

    @Override
    PolicySpec downloadSpec() {
        return PolicySpec.sleep(10, 500); // Akuma before the seed's fix
    }

    @Test
    @DisplayName("defaults to Akuma before the fix: 10 ms, 500 reads")
    void defaults_akumaBeforeFix() {
        SleepOnWouldBlock p = (SleepOnWouldBlock) policy();
        assertThat(p.sleepMs()).isEqualTo(10);
        assertThat(p.idleTimeoutReads()).isEqualTo(500);
        assertThat(p.idleTimeoutNs()).isZero();
    }

    @Test
    @DisplayName("takes an idle bound as a duration instead of a count")
    void idleTimeoutMs_durationInsteadOfCount() {
        WouldBlockPolicy p = WouldBlockPolicies.create(new PolicySpec("sleep", 1, null, 5000, null, null, null, null));
        assertThat(p.idleTimeoutReads()).isEqualTo(WouldBlockPolicy.UNBOUNDED_READS);
        assertThat(p.idleTimeoutNs()).isEqualTo(5_000_000_000L);
        assertThat(p.label()).isEqualTo("sleep 1 ms, idle 5000 ms");
    }

    @Test
    @DisplayName("sleeps once per would-block with one nanosleep of sleepMs")
    void onWouldBlock_oneNanosleepOfSleepMs() {
        IoStats stats = new IoStats();
        try (UserThread raw = new HostKernel(Map.of()).attach("host", "t")) {
            new SleepOnWouldBlock(2, 10).onWouldBlock(new AccountingThread(raw, stats), 3, 1, 3);
        }
        assertThat(stats.sleeps()).isEqualTo(1);
        assertThat(stats.sleepNs()).isGreaterThanOrEqualTo(2_000_000L);
    }

    @Test
    @DisplayName("refuses sleepMs out of 0..10000, naming the field")
    void sleepMs_outOfRange_refused() {
        assertThatThrownBy(() -> new SleepOnWouldBlock(10_001, 5)).hasMessageContaining("0..10000")
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.field()).isEqualTo("policy.sleepMs"));
        assertThatThrownBy(() -> new SleepOnWouldBlock(-1, 5)).hasMessageContaining("0..10000");
    }
}
