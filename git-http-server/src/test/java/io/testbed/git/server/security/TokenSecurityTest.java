package io.testbed.git.server.security;

import io.testbed.git.server.GitHttpServerApplication;
import io.testbed.git.server.http.Tls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, item 5, on git-http-server: bound beyond loopback ({@code server.address=0.0.0.0}; the test connects
 * on 127.0.0.1), {@code POST /api/repos} needs the bearer token (it can create repositories of 256 MiB), while
 * reads, git fetches (a {@code POST} to {@code git-upload-pack}) and health stay open; without a token the
 * server does not start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=0.0.0.0",
        "management.server.port=0",
        "testbed.git.repositories=pack-256k",
        "testbed.git.max-repositories=4",
        "testbed.security.token=" + TokenSecurityTest.TOKEN})
class TokenSecurityTest {
    static final String TOKEN = "t0ken-for-the-git-server-test-0123";
    static final String CREATE = "{\"name\":\"pack-64k\",\"sizeBytes\":65536}";

    @TempDir
    static Path tmp;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry properties) {
        properties.add("testbed.pki.dir", () -> tmp.resolve("pki").toString());
        properties.add("testbed.git.repos-dir", () -> tmp.resolve("repos").toString());
    }

    private HttpResponse<String> https(String method, String path, String body, String contentType, String authorization) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(Tls.trusting(tmp.resolve("pki/ca.crt"))).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createRepo_withoutOrWithAWrongToken_is401_andCreatesNothing() throws Exception {
        HttpResponse<String> none = https("POST", "/api/repos", CREATE, "application/json", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(none.body()).contains("testbed.security.token");
        assertThat(https("POST", "/api/repos", CREATE, "application/json", "Bearer " + TOKEN.toUpperCase()).statusCode()).isEqualTo(401);
        assertThat(https("GET", "/api/repos/pack-64k", null, null, null).statusCode()).as("not created").isEqualTo(404);
    }

    @Test
    void createRepo_withTheToken_creates() throws Exception {
        HttpResponse<String> r = https("POST", "/api/repos", "{\"name\":\"pack-32k\",\"sizeBytes\":32768}", "application/json", "Bearer " + TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(https("GET", "/api/repos/pack-32k", null, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void reads_gitFetches_andHealth_needNoToken() throws Exception {
        assertThat(https("GET", "/api/repos", null, null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> refs = https("GET", "/pack-256k.git/info/refs?service=git-upload-pack", null, null, null);
        assertThat(refs.statusCode()).isEqualTo(200);
        // a fetch's POST with an empty request (a flush): git's answer, not a 401
        HttpResponse<String> fetch = https("POST", "/pack-256k.git/git-upload-pack", "0000", "application/x-git-upload-pack-request", null);
        assertThat(fetch.statusCode()).as(fetch.body()).isNotEqualTo(401).isLessThan(500);
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void openedBeyondLoopbackWithoutAToken_refusesToStart() {
        SpringApplication app = new SpringApplication(GitHttpServerApplication.class);
        assertThatThrownBy(() -> app.run("--server.port=0", "--management.server.port=0", "--server.address=0.0.0.0",
                "--testbed.security.token=", "--testbed.git.repositories=pack-256k", "--testbed.pki.dir=" + tmp.resolve("pki2"),
                "--testbed.git.repos-dir=" + tmp.resolve("repos2")).close())
                .rootCause().hasMessageContaining("git-http-server binds beyond loopback (server.address=0.0.0.0)")
                .hasMessageContaining("TESTBED_TOKEN");
    }
}
