package io.testbed.gateway.web;

import io.testbed.gateway.fakes.Fakes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** With tls-client down, the gateway answers 503 problem details that say which service and where. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreachableDependencyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) throws Exception {
        Fakes.register(registry);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        registry.add("testbed.tls-client.url", () -> "http://127.0.0.1:" + closedPort);
    }

    @Test
    void post_withTlsClientDown_returns503NamingIt() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/downloads"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"repo\":\"pack-4m\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("dependency").asString()).isEqualTo("tls-client-service");
        assertThat(problem.path("detail").asString()).contains("testbed.tls-client.url");
    }
}
