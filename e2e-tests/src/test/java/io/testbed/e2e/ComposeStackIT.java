package io.testbed.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's path: {@code docker compose up --build} of docker-compose.yml, a download through the
 * gateway's REST API, and Prometheus holding the client's metrics. Host ports are free ones (the
 * compose file's {@code *_HOST_PORT} variables), so a running {@code make run} stack does not clash.
 * Skipped where no Docker engine runs; building the images takes minutes the first time.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("docker compose up")
class ComposeStackIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private ComposeContainer compose;
    private String host;
    private final String token = newToken();

    private static String newToken() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    @BeforeAll
    void up() {
        Path root = Path.of(System.getProperty("testbed.root", "..")).toAbsolutePath().normalize();
        host = DockerClientFactory.instance().dockerHostIpAddress();
        for (String variable : new String[]{"GATEWAY_HOST_PORT", "KERNEL_SIM_HOST_PORT", "TLS_CLIENT_HOST_PORT",
                "GIT_HOST_PORT", "GIT_MANAGEMENT_HOST_PORT", "PROMETHEUS_HOST_PORT", "GRAFANA_HOST_PORT"}) {
            ports.put(variable, TestbedStack.freePort());
        }
        compose = new ComposeContainer("testbed-e2e", new File(root.toFile(), "docker-compose.yml"))
                .withBuild(true)
                // the service images are built, not pulled; `up` pulls Prometheus, Grafana and PostgreSQL
                .withPull(false)
                .withRemoveVolumes(true)
                .withStartupTimeout(Duration.ofMinutes(20))
                .waitingFor("gateway-service", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(20)))
                .waitingFor("prometheus", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)))
                .waitingFor("grafana", Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(5)));
        ports.forEach((variable, port) -> compose.withEnv(variable, String.valueOf(port)));
        // published on every interface only when the Docker engine is not on this host
        compose.withEnv("TESTBED_BIND", "localhost".equals(host) || "127.0.0.1".equals(host) ? "127.0.0.1" : "0.0.0.0");
        // the services bind 0.0.0.0 in their containers, so they want a bearer token (docker-compose.yml insists on one)
        compose.withEnv("TESTBED_TOKEN", token);
        compose.start();
    }

    @AfterAll
    void down() {
        if (compose != null) {
            compose.stop();
        }
    }

    @Test
    @DisplayName("downloads a pack through the gateway, and Prometheus then holds the client's metrics")
    void download_throughTheGateway_endsUpInPrometheus() throws Exception {
        GatewayClient gateway = new GatewayClient("http://" + host + ":" + ports.get("GATEWAY_HOST_PORT"), token);
        assertThat(new GatewayClient("http://" + host + ":" + ports.get("GATEWAY_HOST_PORT")).post("/api/downloads", "{}").status())
                .as("a write without the token").isEqualTo(401);
        JsonNode d = gateway.download("{\"repo\":\"pack-256k\",\"client\":\"bc\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":1},"
                + "\"clock\":\"virtual\",\"seed\":1}", Duration.ofMinutes(5));
        assertThat(d.path("status").asText()).as("%s", d).isEqualTo("succeeded");
        assertThat(d.path("pack").path("verified").asBoolean()).as("%s", d).isTrue();

        String prometheus = "http://" + host + ":" + ports.get("PROMETHEUS_HOST_PORT");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        double bytes = 0;
        while (System.nanoTime() < deadline && bytes < d.path("bytes").asLong()) {
            bytes = sum(prometheus, "sum(tls_client_bytes_total{job=\"tls-client-service\"})");
            Thread.sleep(1000);
        }
        assertThat(bytes).as("tls_client_bytes_total in Prometheus").isGreaterThanOrEqualTo(d.path("bytes").asLong());
        assertThat(sum(prometheus, "sum(tls_client_downloads_total{outcome=\"succeeded\"})")).isGreaterThanOrEqualTo(1);
        assertThat(sum(prometheus, "count(up == 1)")).as("jobs up").isEqualTo(4);

        HttpResponse<String> grafana = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":"
                + ports.get("GRAFANA_HOST_PORT") + "/api/search?tag=testbed")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(grafana.statusCode()).as("anonymous Grafana search").isEqualTo(200);
        assertThat(grafana.body()).contains("testbed-downloads", "testbed-scheduler", "testbed-interactive-latency", "testbed-experiments");
    }

    private double sum(String prometheus, String promql) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (JsonNode result : JSON.readTree(r.body()).path("data").path("result")) {
            sum += Double.parseDouble(result.path("value").get(1).asText());
        }
        return sum;
    }
}
