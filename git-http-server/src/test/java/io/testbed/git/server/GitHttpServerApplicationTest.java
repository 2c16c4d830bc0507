package io.testbed.git.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.testbed.git.server.repo.RepoRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole server on random ports with its PKI and repositories in a temporary directory, driven by
 * the stock git CLI and a JDK HTTP client that trusts only the generated CA.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "testbed.git.repositories=pack-256k,pack-1m",
        "testbed.git.max-repositories=4",
        "testbed.git.marks.port=0"})
class GitHttpServerApplicationTest {

    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    RepoRegistry registry;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry properties) {
        properties.add("testbed.pki.dir", () -> tmp.resolve("pki").toString());
        properties.add("testbed.git.repos-dir", () -> tmp.resolve("repos").toString());
    }

    @BeforeAll
    static void requireGit() {
        try {
            Process process = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail("'git --version' failed; these tests need the stock git CLI");
            }
        } catch (IOException e) {
            fail("these tests need the stock git CLI on the PATH (e.g. apt-get install git): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while looking for git");
        }
    }

    @Test
    @DisplayName("git clones pack-1m over HTTPS trusting only the testbed CA (protocol v2); fsck passes, HEAD matches")
    void gitClone_pack1mProtocolV2_fsckPassesAndHeadMatches() throws Exception {
        Path clone = tmp.resolve("clone-v2");

        git(tmp, "-c", "protocol.version=2", "-c", "http.sslCAInfo=" + caFile(), "clone", "--quiet",
                "https://localhost:" + port + "/pack-1m.git", clone.toString());

        git(clone, "fsck", "--full", "--strict");
        String head = git(clone, "rev-parse", "HEAD").trim();
        assertThat(head).isEqualTo(registry.find("pack-1m").orElseThrow().head());
        long packBytes;
        try (Stream<Path> files = Files.list(clone.resolve(".git/objects/pack"))) {
            packBytes = files.filter(p -> p.toString().endsWith(".pack")).mapToLong(GitHttpServerApplicationTest::size).sum();
        }
        assertThat(packBytes).isBetween((long) (0.85 * (1 << 20)), (long) (1.15 * (1 << 20)));
    }

    @Test
    @DisplayName("git clones pack-256k with protocol v0")
    void gitClone_pack256kProtocolV0_headMatches() throws Exception {
        Path clone = tmp.resolve("clone-v0");

        git(tmp, "-c", "protocol.version=0", "-c", "http.sslCAInfo=" + caFile(), "clone", "--quiet",
                "https://127.0.0.1:" + port + "/pack-256k.git", clone.toString());

        assertThat(git(clone, "rev-parse", "HEAD").trim()).isEqualTo(registry.find("pack-256k").orElseThrow().head());
    }

    @Test
    @DisplayName("an unknown repository is 404 to git, and pushing is not offered")
    void gitPaths_unknownRepoAndReceivePack_refused() throws Exception {
        HttpResponse<String> unknown = https("GET", "/nope.git/info/refs?service=git-upload-pack", null);
        HttpResponse<String> push = https("GET", "/pack-1m.git/info/refs?service=git-receive-pack", null);
        HttpResponse<String> advertised = https("GET", "/pack-1m.git/info/refs?service=git-upload-pack", null);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(push.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(advertised.statusCode()).isEqualTo(200);
        assertThat(advertised.headers().firstValue("Content-Type"))
                .contains("application/x-git-upload-pack-advertisement");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    @DisplayName("the HTTPS port speaks TLS 1.2 and TLS 1.3")
    void https_eachProtocolVersion_negotiated(String protocol) throws Exception {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {protocol});
        HttpClient client = HttpClient.newBuilder().sslContext(caTrustingContext()).sslParameters(parameters).build();

        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/repos")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).isEqualTo(protocol));
    }

    @Test
    @DisplayName("GET /api/repos lists the configured repositories with their heads")
    void apiRepos_list_showsDefaults() throws Exception {
        HttpResponse<String> response = https("GET", "/api/repos", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"pack-256k\"", "\"name\":\"pack-1m\"", "\"sizeBytes\":1048576",
                "\"seed\":1", "\"head\":\"" + registry.find("pack-1m").orElseThrow().head() + "\"", "\"objects\":21",
                "\"packBytes\":");
    }

    @Test
    @DisplayName("GET /api/repos/{unknown} is a 404 problem")
    void apiRepo_unknown_notFoundProblem() throws Exception {
        HttpResponse<String> response = https("GET", "/api/repos/nope", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).contains("\"status\":404", "GET /api/repos lists them");
    }

    @Test
    @DisplayName("a bad POST /api/repos is a 400 problem saying what to change")
    void apiCreate_invalid_badRequestProblem() throws Exception {
        HttpResponse<String> badName = https("POST", "/api/repos", "{\"name\":\"Bad Name\",\"sizeBytes\":4096}");
        HttpResponse<String> tooBig = https("POST", "/api/repos", "{\"name\":\"big\",\"sizeBytes\":999999999999}");
        HttpResponse<String> notJson = https("POST", "/api/repos", "name=x");

        for (HttpResponse<String> response : List.of(badName, tooBig, notJson)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
        assertThat(badName.body()).contains("name 'Bad Name' is invalid");
        assertThat(tooBig.body()).contains("out of range");
        assertThat(notJson.body()).contains("the body must be JSON like");
    }

    @Test
    @DisplayName("POST /api/repos refuses an unknown field (400 naming it) and creates nothing (issue 16, item 10)")
    void apiCreate_unknownField_badRequest_nothingCreated() throws Exception {
        HttpResponse<String> r = https("POST", "/api/repos", "{\"name\":\"typo-8k\",\"sizeBytes\":8192,\"sizeByte\":9}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(r.body()).contains("sizeByte");
        assertThat(https("GET", "/api/repos/typo-8k", null).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("GET /error on the HTTPS port is 404, not 500 with status 999 (issue 16, item 10)")
    void getError_is404() throws Exception {
        HttpResponse<String> r = https("GET", "/error", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("999");
    }

    @Test
    @DisplayName("POST /api/repos creates once (201), repeats idempotently (200) and refuses other parameters (409)")
    void apiCreate_newThenSameThenOther_createdOkConflict() throws Exception {
        HttpResponse<String> created = https("POST", "/api/repos", "{\"name\":\"custom-8k\",\"sizeBytes\":8192,\"seed\":7}");
        HttpResponse<String> again = https("POST", "/api/repos", "{\"name\":\"custom-8k\",\"sizeBytes\":8192,\"seed\":7}");
        HttpResponse<String> other = https("POST", "/api/repos", "{\"name\":\"custom-8k\",\"sizeBytes\":8192,\"seed\":8}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/api/repos/custom-8k");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(created.body());
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.body()).contains("choose another name");
        assertThat(https("GET", "/api/repos/custom-8k", null).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("actuator health is UP over plain HTTP on the management port, with the git metrics in Prometheus")
    void actuator_managementPort_healthAndMetrics() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        String base = "http://localhost:" + managementPort + "/actuator";

        HttpResponse<String> health = plain.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> prometheus = plain.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> env = plain.send(HttpRequest.newBuilder(URI.create(base + "/env")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> index = plain.send(HttpRequest.newBuilder(URI.create(base)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("git_server_repositories{application=\"git-http-server\"}",
                "git_server_upload_pack_requests_total{application=\"git-http-server\",outcome=\"ok\",repo=\"pack-1m\"}",
                "git_server_upload_pack_bytes_total{application=\"git-http-server\",repo=\"pack-1m\"}",
                "git_server_repository_pack_size_bytes{application=\"git-http-server\",repo=\"pack-256k\"}");
        assertThat(env.statusCode()).isEqualTo(404);
        // the index links exactly what is exposed: health (and its probe groups), info, prometheus
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(exposedEndpoints(index.body())).containsExactlyInAnyOrder("self", "health", "health-path", "info", "prometheus");
        for (String hidden : List.of("env", "beans", "configprops", "heapdump", "threaddump", "loggers", "mappings", "metrics", "shutdown")) {
            assertThat(plain.send(HttpRequest.newBuilder(URI.create(base + "/" + hidden)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as(hidden).isEqualTo(404);
        }
        // and the git port (the one simulated machines may reach) serves no actuator at all
        assertThat(https("GET", "/actuator/health", null).statusCode()).isEqualTo(404);
        assertThat(https("GET", "/actuator/prometheus", null).statusCode()).isEqualTo(404);
    }

    /** The endpoint names of an actuator index ({@code {"_links":{"self":...,"health":...}}}). */
    private static List<String> exposedEndpoints(String indexJson) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"([a-z-]+)\":\\{\"href\"").matcher(indexJson);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private Path caFile() {
        return tmp.resolve("pki/ca.crt");
    }

    private HttpResponse<String> https(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        return trustingCa().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpClient trustingCa() throws Exception {
        return HttpClient.newBuilder().sslContext(caTrustingContext()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private SSLContext caTrustingContext() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile())) {
            trust.setCertificateEntry("testbed-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * Runs the stock git CLI isolated from the machine's git and TLS settings (a CA bundle given by
     * environment would override {@code http.sslCAInfo}) and from proxies; fails with git's output.
     */
    private static String git(Path workingDir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("GIT_") || key.toLowerCase().endsWith("_proxy")
                || key.startsWith("SSL_CERT") || key.equals("CURL_CA_BUNDLE"));
        env.put("HOME", tmp.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        Path output = Files.createTempFile(tmp, "git-", ".out");
        builder.redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        if (!process.waitFor(GIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("git " + String.join(" ", args) + " did not finish within " + GIT_TIMEOUT + ":\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail("git " + String.join(" ", args) + " exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
