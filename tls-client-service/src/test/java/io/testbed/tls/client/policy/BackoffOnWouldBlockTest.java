package io.testbed.tls.client.policy;

import io.testbed.tls.client.download.DownloadResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("BackoffOnWouldBlock (backoff)")
class BackoffOnWouldBlockTest extends WouldBlockPolicyContract {

    @Override
    WouldBlockPolicy policy() {
        return WouldBlockPolicies.create(PolicySpec.of("backoff"));
    }

    @Override
    void checkFigures(DownloadResult r) {
        assertThat(r.waits().sleeps()).isEqualTo(r.waits().wouldBlocks());
    }

    @Test
    @DisplayName("sleeps min, min x factor, ... up to max, per consecutive empty read")
    void sleepNs_growsByFactorUpToMax() {
        BackoffOnWouldBlock p = (BackoffOnWouldBlock) WouldBlockPolicies.create(PolicySpec.backoff(1, 10, 2.0));
        assertThat(p.sleepNs(1)).isEqualTo(1_000_000L);
        assertThat(p.sleepNs(2)).isEqualTo(2_000_000L);
        assertThat(p.sleepNs(4)).isEqualTo(8_000_000L);
        assertThat(p.sleepNs(5)).isEqualTo(10_000_000L);
        assertThat(p.sleepNs(1000)).isEqualTo(10_000_000L);
    }

    @Test
    @DisplayName("refuses max below min and a factor below 1, naming the field")
    void badParameters_refused() {
        assertThatThrownBy(() -> WouldBlockPolicies.create(PolicySpec.backoff(5, 2, 2.0)))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.field()).isEqualTo("policy.maxMs"));
        assertThatThrownBy(() -> WouldBlockPolicies.create(PolicySpec.backoff(1, 2, 0.5)))
                .hasMessageContaining("policy.factor must be in 1..16");
    }
}
