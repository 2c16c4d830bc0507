package io.testbed.gateway.security;

import io.testbed.gateway.GatewayApplication;
import io.testbed.gateway.fakes.FakeGitServer;
import io.testbed.gateway.fakes.Fakes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, item 5: bound beyond loopback ({@code server.address=0.0.0.0}; the test still connects on
 * 127.0.0.1), the gateway's writes need the bearer token, its reads and health do not, and it passes the
 * token on to tls-client and kernel-sim. Without a token it does not start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=0.0.0.0",
        "testbed.security.token=" + TokenSecurityTest.TOKEN})
class TokenSecurityTest {

    static final String TOKEN = "t0ken-for-the-gateway-test-0123456789";
    static final String BODY = "{\"repo\":\"pack-4m\",\"client\":\"bc\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":1},\"clock\":\"virtual\"}";
    static final Fakes.Own FAKES = Fakes.own(FakeGitServer.REPOS_WITH_SIZES, null);

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        FAKES.register(registry);
    }

    @AfterAll
    static void closeFakes() throws Exception {
        FAKES.close();
    }

    private HttpResponse<String> post(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/downloads"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWrite_withoutAToken_is401ProblemDetails_andNothingStarts() throws Exception {
        int before = FAKES.tlsClient().started.size();
        HttpResponse<String> r = post(null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"testbed\"");
        assertThat(r.body()).contains("testbed.security.token").contains("\"status\":401");
        assertThat(FAKES.tlsClient().started).hasSize(before);
    }

    @Test
    void aWrite_withAWrongToken_orAnotherScheme_is401() throws Exception {
        int before = FAKES.tlsClient().started.size();
        assertThat(post("Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(post("Bearer " + TOKEN.substring(1)).statusCode()).isEqualTo(401);
        assertThat(post("Basic " + TOKEN).statusCode()).isEqualTo(401);
        assertThat(post("Bearer ").statusCode()).isEqualTo(401);
        HttpRequest delete = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/downloads/dl-x")).DELETE().build();
        assertThat(http.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode()).as("DELETE is a write").isEqualTo(401);
        assertThat(FAKES.tlsClient().started).hasSize(before);
    }

    @Test
    void aWrite_withTheToken_isAccepted_andTheTokenGoesOnToTlsClientAndTheKernel() throws Exception {
        HttpResponse<String> r = post("Bearer " + TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(FAKES.tlsClient().authorizations).isNotEmpty().allMatch(("Bearer " + TOKEN)::equals);
        assertThat(FAKES.kernel().authorizations).isNotEmpty().allMatch(("Bearer " + TOKEN)::equals);
    }

    @Test
    void readsAndHealth_needNoToken() throws Exception {
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get("/api/downloads").statusCode()).isEqualTo(200);
        assertThat(get("/api/repos").statusCode()).isEqualTo(200);
    }

    @Nested
    class Startup {
        @Test
        void openedBeyondLoopbackWithoutAToken_refusesToStart_sayingWhatToSet() {
            SpringApplication app = new SpringApplication(GatewayApplication.class);
            assertThatThrownBy(() -> app.run("--server.port=0", "--server.address=0.0.0.0", "--testbed.security.token=",
                    "--spring.datasource.url=jdbc:h2:mem:refused", "--testbed.retention.sweep-interval=0").close())
                    .rootCause().hasMessageContaining("binds beyond loopback (server.address=0.0.0.0)")
                    .hasMessageContaining("testbed.security.token").hasMessageContaining("allow-anonymous");
        }

        @Test
        void aTokenTooShortToBeASecret_refusesToStart() {
            SpringApplication app = new SpringApplication(GatewayApplication.class);
            assertThatThrownBy(() -> app.run("--server.port=0", "--server.address=0.0.0.0", "--testbed.security.token=short",
                    "--spring.datasource.url=jdbc:h2:mem:refused2", "--testbed.retention.sweep-interval=0").close())
                    .rootCause().hasMessageContaining("at least 16");
        }
    }
}
