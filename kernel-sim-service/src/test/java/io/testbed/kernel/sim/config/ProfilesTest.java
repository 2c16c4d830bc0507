package io.testbed.kernel.sim.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The profiles per code state resolve with their commits' values. */
class ProfilesTest {

    @Test
    void everyProfile_namesItsCommitAndResolves() {
        assertThat(Profiles.names()).contains("akuma-2026-01-31", "seed-doc", "akuma-2026-02-09", "akuma-ca9339d",
                "akuma-8addd902", "akuma-7b52ac2", "akuma-9528e2a", "akuma-22de838", "akuma-8316ebe", "akuma-9a4fcd8a",
                "akuma-92639fb0");
        for (Profiles.Info info : Profiles.all()) {
            assertThat(info.commit()).isNotBlank();
            assertThat(info.date()).matches("2026-\\d\\d-\\d\\d");
            assertThat(Profiles.resolve(info.name(), null).profile).isEqualTo(info.name());
        }
        assertThat(Profiles.describe("akuma-ca9339d").date()).isEqualTo("2026-01-17");
        assertThat(Profiles.describe(null).commit()).isEqualTo("7b52ac2");
        assertThatThrownBy(() -> Profiles.describe("akuma-nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codeStates_differOnlyWhereAkumaDid() {
        MachineSettings seed = Profiles.resolve("akuma-7b52ac2", null);
        assertThat(seed.values()).isEqualTo(Profiles.resolve("akuma-2026-01-31", null).values().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
        assertThat(seed.schedPolicy).isEqualTo("akuma-ratio");
        assertThat(seed.networkThreadRatio).isEqualTo(4);
        assertThat(seed.timerRelative).isTrue();
        assertThat(seed.herd).isTrue();
        MachineSettings ca = Profiles.resolve("akuma-ca9339d", null);
        assertThat(ca.schedPolicy).isEqualTo("round-robin");
        assertThat(ca.herd).isFalse();
        assertThat(ca.idleCleanup).isFalse();
        assertThat(Profiles.resolve("akuma-8addd902", null).eagainIterations).isEqualTo(100_000);
        assertThat(Profiles.resolve("akuma-9528e2a", null).values()).isEqualTo(seed.values().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
        assertThat(Profiles.resolve("akuma-22de838", null).roundRobinFrom).isEqualTo("cursor");
        MachineSettings s8316 = Profiles.resolve("akuma-8316ebe", null);
        assertThat(s8316.networkThreadRatio).isEqualTo(2);
        assertThat(s8316.eagainIterations).isEqualTo(500);
        assertThat(s8316.roundRobinFrom).isEqualTo("cursor");
        MachineSettings s9a = Profiles.resolve("akuma-9a4fcd8a", null);
        assertThat(s9a.rxBuffer).isEqualTo(65_536);
        assertThat(s9a.ackDelayNs).isEqualTo(10_000_000L);
        assertThat(Profiles.resolve("akuma-92639fb0", null).ackDelayNs).isZero();
        assertThat(Profiles.resolve("seed-doc", null).pollerSlot).isZero();
        // the calibrated cost table is in every akuma profile
        assertThat(seed.costSchedPass).isEqualTo(Math.round(150 * io.testbed.kernel.sim.calibration.KernelCostTable.FITTED_TCG_FACTOR));
    }
}
