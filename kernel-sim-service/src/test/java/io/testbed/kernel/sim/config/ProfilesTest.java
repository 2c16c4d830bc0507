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
                "akuma-92639fb0", "akuma-a3b9e271", "akuma-9df5b7c4");
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
        assertThat(seed.get(Settings.SCHED_POLICY)).isEqualTo(SchedPolicy.AKUMA_RATIO);
        assertThat(seed.getInt(Settings.SCHED_NETWORK_THREAD_RATIO)).isEqualTo(4);
        assertThat(seed.is(Settings.TIMER_REARM_RELATIVE)).isTrue();
        assertThat(seed.is(Settings.THREADS_HERD)).isTrue();
        MachineSettings ca = Profiles.resolve("akuma-ca9339d", null);
        assertThat(ca.get(Settings.SCHED_POLICY)).isEqualTo(SchedPolicy.ROUND_ROBIN);
        assertThat(ca.is(Settings.THREADS_HERD)).isFalse();
        assertThat(ca.is(Settings.THREADS_IDLE_CLEANUP)).isFalse();
        assertThat(Profiles.resolve("akuma-8addd902", null).getInt(Settings.SYSCALL_EAGAIN_ITERATIONS)).isEqualTo(100_000);
        java.util.Map<String, String> s9528 = new java.util.HashMap<>(Profiles.resolve("akuma-9528e2a", null).values());
        assertThat(s9528.put("mm.munmap", "noop")).isEqualTo("free"); // the one difference: munmap implemented
        assertThat(s9528).isEqualTo(new java.util.HashMap<>(seed.values()));
        assertThat(Profiles.resolve("akuma-22de838", null).get(Settings.ROUND_ROBIN_FROM)).isEqualTo(RoundRobinFrom.CURSOR);
        MachineSettings s8316 = Profiles.resolve("akuma-8316ebe", null);
        assertThat(s8316.getInt(Settings.SCHED_NETWORK_THREAD_RATIO)).isEqualTo(2);
        assertThat(s8316.getInt(Settings.SYSCALL_EAGAIN_ITERATIONS)).isEqualTo(500);
        assertThat(s8316.get(Settings.ROUND_ROBIN_FROM)).isEqualTo(RoundRobinFrom.CURSOR);
        MachineSettings s9a = Profiles.resolve("akuma-9a4fcd8a", null);
        assertThat(s9a.getInt(Settings.SOCKET_RX_BUFFER)).isEqualTo(65_536);
        assertThat(s9a.getLong(Settings.TCP_ACK_DELAY_NS)).isEqualTo(10_000_000L);
        assertThat(Profiles.resolve("akuma-92639fb0", null).getLong(Settings.TCP_ACK_DELAY_NS)).isZero();
        assertThat(Profiles.resolve("seed-doc", null).getInt(Settings.NET_POLLER_SLOT)).isZero();
        fileSystem_perCodeState();
        // the calibrated cost table is in every akuma profile
        assertThat(seed.getLong(Settings.COST_SCHED_PASS_NS)).isEqualTo(Math.round(150 * io.testbed.kernel.sim.config.KernelCostTable.FITTED_TCG_FACTOR));
    }

    /** issue 14: write/read/openat/munmap per code state (docs/MODEL.md "File system"). */
    private static void fileSystem_perCodeState() {
        String[][] expected = {
                // profile, fs.write, fs.read, fs.openat, mm.munmap
                {"akuma-ca9339d", "whole-file", "whole-file", "exists-check", "noop"},
                {"akuma-8addd902", "whole-file", "whole-file", "exists-check", "noop"},
                {"akuma-7b52ac2", "whole-file", "whole-file", "exists-check", "noop"},
                {"akuma-9528e2a", "whole-file", "whole-file", "exists-check", "free"},
                {"akuma-22de838", "whole-file", "whole-file", "exists-check", "free"},
                {"akuma-8316ebe", "whole-file", "whole-file", "exists-check", "free"},
                {"akuma-9a4fcd8a", "whole-file", "whole-file", "trunc-only", "free"},
                {"akuma-92639fb0", "whole-file", "whole-file", "trunc-only", "free"},
                {"akuma-a3b9e271", "write-at", "whole-file", "trunc-only", "free"},
                {"akuma-9df5b7c4", "write-at", "read-at", "trunc-only", "free"}};
        for (String[] e : expected) {
            java.util.Map<String, String> v = Profiles.resolve(e[0], null).values();
            assertThat(new String[] {e[0], v.get("fs.write"), v.get("fs.read"), v.get("fs.openat"), v.get("mm.munmap")})
                    .as(e[0]).containsExactly(e);
        }
        // the new code states keep 92639fb0's network and scheduler: only the fs settings differ
        java.util.Map<String, String> base = new java.util.HashMap<>(Profiles.resolve("akuma-92639fb0", null).values());
        java.util.Map<String, String> last = new java.util.HashMap<>(Profiles.resolve("akuma-9df5b7c4", null).values());
        last.put("fs.write", "whole-file");
        last.put("fs.read", "whole-file");
        assertThat(last).isEqualTo(base);
        // the sector cost fitted on C5 is in every akuma profile (the Settings default stays the estimate)
        for (Profiles.Info info : Profiles.all()) {
            assertThat(Profiles.resolve(info.name(), null).values().get("cost.sector_ns")).as(info.name())
                    .isEqualTo(Long.toString(io.testbed.kernel.sim.calibration.Calibration.FITTED_SECTOR_NS));
        }
        assertThat(Profiles.describe("akuma-a3b9e271").date()).isEqualTo("2026-02-12");
        assertThat(Profiles.describe("akuma-9df5b7c4").date()).isEqualTo("2026-02-14");
    }
}
