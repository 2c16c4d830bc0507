package io.testbed.gateway.discovery;

import io.testbed.gateway.experiment.ExperimentProperties;
import io.testbed.gateway.kernel.KernelDiscoveryProperties;
import io.testbed.gateway.tlsclient.TlsClientProperties;
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
 * Issue 20: the environment variables the Kubernetes manifests give the gateway ({@code deploy/kubernetes/gateway.yaml})
 * reach the settings they are meant for, through Spring's relaxed binding of environment variables (a misspelt one
 * would be ignored in the cluster without a word).
 */
class KubernetesEnvBindingTest {

    @Test
    void theGatewaysEnvironmentInTheManifest_bindsToDiscoveryAndExperimentSettings() throws IOException {
        Map<String, Object> env = gatewayEnv(Path.of("..", "deploy", "kubernetes", "gateway.yaml"));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                "manifest-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        Binder binder = new Binder(ConfigurationPropertySources.get(environment));

        KernelDiscoveryProperties kernels = binder.bind("testbed.kernel-discovery", KernelDiscoveryProperties.class).get();
        assertThat(kernels.dns()).isEqualTo("kernel-sim-headless");
        assertThat(kernels.port()).isEqualTo(50051);
        assertThat(kernels.enabled()).isTrue();
        TlsClientProperties tls = binder.bind("testbed.tls-client", TlsClientProperties.class).get();
        assertThat(tls.discoveryDns()).isEqualTo("tls-client-headless");
        assertThat(tls.discoveryPort()).isEqualTo(8082);
        assertThat(tls.url()).hasToString("http://tls-client:8082");
        ExperimentProperties experiments = binder.bind("testbed.experiments", ExperimentProperties.class).get();
        assertThat(experiments.parallelRuns()).isEqualTo(16);
        assertThat(experiments.maxRuns()).isEqualTo(1000);
        assertThat(binder.bind("spring.datasource.url", String.class).get()).isEqualTo("jdbc:postgresql://postgres:5432/testbed");
        assertThat(binder.bind("management.endpoint.health.probes.enabled", Boolean.class).get()).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> gatewayEnv(Path manifest) throws IOException {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Object doc : new Yaml().loadAll(Files.readString(manifest))) {
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
        assertThat(env).as("env of the gateway Deployment in %s", manifest).isNotEmpty();
        return env;
    }
}
