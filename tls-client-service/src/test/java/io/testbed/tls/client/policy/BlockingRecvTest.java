package io.testbed.tls.client.policy;

import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.support.SimulatedMachines;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("BlockingRecv (blocking)")
class BlockingRecvTest extends WouldBlockPolicyContract {

    @Override
    WouldBlockPolicy policy() {
        return WouldBlockPolicies.create(PolicySpec.of("blocking"));
    }

    @Override
    Map<String, String> overrides() {
        return Map.of("net.poll_mode", "irq-wakeup");
    }

    @Override
    void checkFigures(DownloadResult r) {
        // a blocking recvfrom on an irq-wakeup machine waits for data: EAGAIN never comes
        assertThat(r.waits().wouldBlocks()).isZero();
        assertThat(r.waits().sleeps()).isZero();
    }

    @Test
    @DisplayName("on Akuma's own polling it degenerates to calling recvfrom again after each EAGAIN")
    void download_akumaPolledStack_reCallsRecvfromAfterEagain() throws IOException {
        SimulatedMachines sim = SimulatedMachines.get();
        String machine = sim.create(SimulatedMachines.AKUMA, Map.of());
        try {
            DownloadResult r = download(machine, PolicySpec.of("blocking"), "pack-256k");
            assertThat(r.error()).isNull();
            assertThat(r.pack().verified()).isTrue();
            assertThat(r.waits().wouldBlocks()).isPositive();
            assertThat(r.waits().sleeps()).isZero();
        } finally {
            sim.delete(machine);
        }
    }
}
