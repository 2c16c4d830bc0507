package io.testbed.tls.client.policy;

import io.testbed.kernel.api.Errno;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.support.SimulatedMachines;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("PollOnWouldBlock (poll)")
class PollOnWouldBlockTest extends WouldBlockPolicyContract {

    @Override
    WouldBlockPolicy policy() {
        return WouldBlockPolicies.create(PolicySpec.of("poll"));
    }

    @Override
    Map<String, String> overrides() {
        return Map.of("syscall.poll", "enabled");
    }

    @Override
    void checkFigures(DownloadResult r) {
        assertThat(r.waits().sleeps()).isZero();
    }

    @Test
    @DisplayName("reads without the kernel's yield loop (MSG_DONTWAIT)")
    void recvFlags_dontWait() {
        assertThat(policy().recvFlags()).isEqualTo(Errno.MSG_DONTWAIT);
    }

    @Test
    @DisplayName("fails clearly, naming the setting, on a machine without the poll syscall (Akuma)")
    void download_machineWithoutPoll_failsNamingTheSetting() throws IOException {
        SimulatedMachines sim = SimulatedMachines.get();
        String machine = sim.create(SimulatedMachines.AKUMA, Map.of());
        try {
            DownloadResult r = download(machine, PolicySpec.of("poll"), "pack-256k");
            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).isEqualTo("syscall");
            assertThat(r.error()).isEqualTo("poll failed: ENOSYS (this machine has no poll syscall, as Akuma; "
                    + "policy 'poll' needs a machine created with override syscall.poll=enabled)");
        } finally {
            sim.delete(machine);
        }
    }
}
