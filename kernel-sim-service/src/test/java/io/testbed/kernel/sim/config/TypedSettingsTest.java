package io.testbed.kernel.sim.config;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each setting is one typed constant: indexed in wire order, parsed once into the model's unit. */
class TypedSettingsTest {

    @Test
    void everySetting_isTypedOnce_inWireOrder() {
        List<Setting<?>> typed = Settings.typed();
        assertThat(typed).hasSize(Settings.definitions().size()).hasSize(Setting.count());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < typed.size(); i++) {
            assertThat(typed.get(i).index()).isEqualTo(i);
            assertThat(names.add(typed.get(i).name())).isTrue();
        }
        assertThat(typed.stream().map(Setting::name).toList()).isEqualTo(List.copyOf(Settings.definitions().keySet()));
    }

    @Test
    void values_areParsedIntoTheModelsUnit() {
        MachineSettings s = Profiles.resolve(null, Map.of("nic.full_policy", "drop", "timer.tick_us", "2000",
                "link.bandwidth_kbps", "3", "engine.fast_forward", "off"));
        assertThat(s.getLong(Settings.TIMER_TICK_NS)).isEqualTo(2_000_000L);
        assertThat(s.getLong(Settings.LINK_BANDWIDTH_BPS)).isEqualTo(3_000L);
        assertThat(s.getLong(Settings.TCP_ACK_DELAY_NS)).isEqualTo(10_000_000L);
        assertThat(s.getLong(Settings.MACHINE_MAX_SIMULATED_NS)).isEqualTo(172_800L * 1_000_000_000L);
        assertThat(s.getLong(Settings.FS_DISK_BYTES)).isEqualTo(128L << 20);
        assertThat(s.getInt(Settings.FS_BLOCK_SIZE)).isEqualTo(1024);
        assertThat(s.getInt(Settings.TCP_MSS)).isEqualTo(1460);
        assertThat(s.is(Settings.NIC_FULL_POLICY_DROP)).isTrue();
        assertThat(s.is(Settings.ENGINE_FAST_FORWARD)).isFalse();
        assertThat(s.is(Settings.TCP_NAGLE)).isTrue();
        assertThat(s.get(Settings.TCP_NAGLE)).isTrue();
        assertThat(s.get(Settings.SLEEP_MODEL)).isEqualTo(SleepModel.WFI_UNTIL_TICK);
        // the wire keeps the strings as given
        assertThat(s.values()).containsEntry("timer.tick_us", "2000").containsEntry("nic.full_policy", "drop");
    }

    @Test
    void crossSettingCheck_andValidationMessages_unchanged() {
        assertThatThrownBy(() -> Profiles.resolve(null, Map.of("tcp.rto_min_ms", "20", "tcp.rto_max_ms", "10")))
                .hasMessage("setting 'tcp.rto_min_ms' (20) must not exceed 'tcp.rto_max_ms' (10)");
        assertThatThrownBy(() -> Profiles.resolve(null, Map.of("threads.herd", "yes")))
                .hasMessage("setting 'threads.herd' must be one of [on, off], not 'yes'");
    }
}
