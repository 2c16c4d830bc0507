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

@DisplayName("SleepOnWouldBlock")
class SleepOnWouldBlockTest extends WouldBlockPolicyContract {

    @Override
    WouldBlockPolicy policy() {
        return WouldBlockPolicies.create(new PolicySpec("sleep", null, null));
    }

    @Test
    @DisplayName("defaults to Akuma before the fix: 10 ms, 500 reads")
    void defaults_akumaBeforeFix() {
        SleepOnWouldBlock p = (SleepOnWouldBlock) policy();
        assertThat(p.sleepMs()).isEqualTo(10);
        assertThat(p.idleTimeoutReads()).isEqualTo(500);
    }

    @Test
    @DisplayName("sleeps once per would-block with one nanosleep of sleepMs")
    void onWouldBlock_oneNanosleepOfSleepMs() {
        IoStats stats = new IoStats();
        try (UserThread raw = new HostKernel(Map.of()).attach("host", "t")) {
            new SleepOnWouldBlock(2, 10).onWouldBlock(new AccountingThread(raw, stats), 3);
        }
        assertThat(stats.sleeps()).isEqualTo(1);
        assertThat(stats.sleepNs()).isGreaterThanOrEqualTo(2_000_000L);
    }

    @Test
    @DisplayName("refuses sleepMs out of 0..10000")
    void sleepMs_outOfRange_refused() {
        assertThatThrownBy(() -> new SleepOnWouldBlock(10_001, 5)).hasMessageContaining("0..10000");
        assertThatThrownBy(() -> new SleepOnWouldBlock(-1, 5)).hasMessageContaining("0..10000");
    }
}
