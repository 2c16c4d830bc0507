package io.testbed.tls.client.policy;

import io.testbed.tls.client.download.DownloadResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("YieldOnWouldBlock (yield)")
class YieldOnWouldBlockTest extends WouldBlockPolicyContract {

    @Override
    WouldBlockPolicy policy() {
        return WouldBlockPolicies.create(PolicySpec.of("yield"));
    }

    @Override
    void checkFigures(DownloadResult r) {
        assertThat(r.waits().sleeps()).isZero();
        assertThat(r.io().syscalls()).isGreaterThan(r.io().reads() + r.waits().wouldBlocks()); // the sched_yield calls
    }

    @Test
    @DisplayName("is bounded by 5 s of simulated idle time, not by a count")
    void defaults_durationBound() {
        assertThat(policy().idleTimeoutNs()).isEqualTo(5_000_000_000L);
        assertThat(policy().idleTimeoutReads()).isEqualTo(WouldBlockPolicy.UNBOUNDED_READS);
    }
}
