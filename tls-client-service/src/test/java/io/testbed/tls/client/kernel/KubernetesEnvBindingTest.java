package io.testbed.tls.client.kernel;

import io.testbed.tls.client.config.TestbedProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: the environment variables {@code deploy/kubernetes/tls-client.yaml} gives tls-client reach the settings
 * they are meant for through Spring's relaxed binding (a misspelt one would be ignored in the cluster).
 */
class KubernetesEnvBindingTest {

    @Test
    @SuppressWarnings("unchecked")
    void theManifestsEnvironment_bindsToKernelDiscoveryAndTheHostKernelSwitch() throws IOException {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Object doc : new Yaml().loadAll(Files.readString(Path.of("..", "deploy", "kubernetes", "tls-client.yaml")))) {
            Map<String, Object> d = (Map<String, Object>) doc;
            if (d == null || !"Deployment".equals(d.get("kind"))) {
                continue;
            }
            Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) d.get("spec")).get("template")).get("spec");
            for (Map<String, Object> c : (List<Map<String, Object>>) spec.get("containers")) {
                for (Map<String, Object> e : (List<Map<String, Object>>) c.get("env")) {
                    if (e.get("value") != null) {
                        env.put((String) e.get("name"), String.valueOf(e.get("value")));
                    }
                }
            }
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("manifest-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        Binder binder = new Binder(ConfigurationPropertySources.get(environment));

        KernelDiscovery discovery = binder.bind("testbed.kernel-discovery", KernelDiscovery.class).get();
        assertThat(discovery.dns()).isEqualTo("kernel-sim-headless");
        assertThat(discovery.port()).isEqualTo(50051);
        TestbedProperties testbed = binder.bind("testbed", TestbedProperties.class).get();
        assertThat(testbed.hostKernel().enabled()).isFalse();
        assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(8082);
    }
}
