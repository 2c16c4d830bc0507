package io.testbed.kernel.sim.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every machine setting is in the module README's table, with its default. */
class SettingsDocumentedTest {

    @Test
    void readme_listsEverySetting_withItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (SettingDef d : Settings.definitions().values()) {
            assertThat(readme).as("README row for %s", d.name()).contains("| `" + d.name() + "` | " + d.defaultValue() + " |");
        }
    }

    @Test
    void everyProfile_resolvesWithValidValues() {
        for (String profile : Profiles.names()) {
            MachineSettings s = Profiles.resolve(profile, java.util.Map.of());
            assertThat(s.values()).containsOnlyKeys(Settings.definitions().keySet());
        }
    }
}
