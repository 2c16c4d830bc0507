package io.testbed.gateway.web;

import io.testbed.gateway.fakes.FakeGitServer;
import io.testbed.gateway.fakes.FakeKernel;
import io.testbed.gateway.fakes.FakeTlsClient;
import io.testbed.gateway.fakes.Fakes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 (round 2 of the adversarial run), the gateway's part: settings a single download can never
 * progress with (item 4), a full kernel (item 7), non-canonical numeric settings (item 8), experiment
 * policies checked by tls-client up front (item 6), results-page ids, other JSON media types and
 * {@code /error} (item 10). Every refusal stores nothing and creates no machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RoundTwoInputTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final Fakes.Own FAKES = Fakes.own(FakeGitServer.REPOS_WITH_SIZES, null);
    static final FakeTlsClient TLS_CLIENT = FAKES.tlsClient();
    static final FakeKernel KERNEL = FAKES.kernel();

    @LocalServerPort
    int port;
    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.core.env.Environment env;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        FAKES.register(registry);
    }

    @AfterAll
    static void closeFakes() throws Exception {
        FAKES.close();
    }

    // ---- item 4 ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"machine.start_after_threads=2", "machine.start_after_threads=32", "machine.stop_at_ms=1",
            "machine.stop_at_ms=120000"})
    void download_withASettingItCanNeverProgressWith_is400NamingTheSetting(String override) throws Exception {
        String[] kv = override.split("=");
        State before = state();
        HttpResponse<String> r = post("/api/downloads", "{\"repo\":\"pack-256k\",\"overrides\":{\"" + kv[0] + "\":\"" + kv[1] + "\"}}");
        JsonNode p = problem(r, 400);
        assertThat(p.path("detail").asString()).contains(kv[0] + " = " + kv[1]).contains("single download");
        assertThat(p.path("errors").get(0).path("field").asString()).isEqualTo("overrides." + kv[0]);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void download_withStartAfterOneThread_isAccepted() throws Exception {
        assertThat(post("/api/downloads", "{\"repo\":\"pack-256k\",\"overrides\":{\"machine.start_after_threads\":\"1\"}}").statusCode())
                .isEqualTo(202);
    }

    // ---- item 7 ----

    @Test
    void aFullKernel_is503WithRetryAfter_forDownloadsAndExperiments_andNothingIsStored() throws Exception {
        State before = state();
        for (HttpResponse<String> r : List.of(
                post("/api/downloads", "{\"repo\":\"pack-256k\",\"profile\":\"full\"}"),
                post("/api/experiments", "{\"repos\":[\"pack-256k\"],\"machines\":[{\"profile\":\"full\"}]}"))) {
            JsonNode p = problem(r, 503);
            assertThat(r.headers().firstValue("Retry-After")).contains("30");
            assertThat(p.path("detail").asString()).contains("is full", "machine limit reached", "retry after 30 s");
        }
        assertThat(state()).isEqualTo(before);
    }

    // ---- item 8 ----

    @ParameterizedTest(name = "timer.tick_us=\"{0}\"")
    @ValueSource(strings = {"\uFF11\uFF10\uFF10\uFF10\uFF10", "\u0661\u0660\u0660\u0660\u0660", "+10000", " 10000 ", "010000",
            "10000\n", ""})
    void aNumericSettingNotWrittenCanonically_is400_forDownloadsAndExperiments(String value) throws Exception {
        State before = state();
        String v = JSON.writeValueAsString(value);
        JsonNode dl = problem(post("/api/downloads", "{\"repo\":\"pack-256k\",\"overrides\":{\"timer.tick_us\":" + v + "}}"), 400);
        assertThat(dl.path("detail").asString()).contains("setting 'timer.tick_us'");
        assertThat(dl.path("errors").get(0).path("field").asString()).isEqualTo("overrides.timer.tick_us");
        JsonNode ex = problem(post("/api/experiments", "{\"repos\":[\"pack-256k\"],\"machines\":[{\"overrides\":{\"timer.tick_us\":" + v + "}}]}"), 400);
        assertThat(ex.path("detail").asString()).contains("setting 'timer.tick_us'");
        assertThat(state()).isEqualTo(before);
    }

    // ---- item 6 ----

    @Test
    void anExperimentPolicyTlsClientRefuses_is400BeforeAnythingRuns() throws Exception {
        State before = state();
        int checks = TLS_CLIENT.policyChecks.size();
        JsonNode p = problem(post("/api/experiments", "{\"repos\":[\"pack-256k\"],\"policies\":[{\"type\":\"sleep\",\"sleepMs\":1},"
                + "{\"type\":\"sleep\",\"sleepMs\":" + FakeTlsClient.REFUSED_SLEEP_MS + "}]}"), 400);
        assertThat(p.path("detail").asString()).contains("refused by tls-client-service", "sleepMs 4242 is not allowed here");
        assertThat(TLS_CLIENT.policyChecks.size() - checks).isEqualTo(2);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void sleepMs_overTlsClientsBound_isRefusedByTheGatewayToo() throws Exception {
        State before = state();
        JsonNode p = problem(post("/api/experiments", "{\"repos\":[\"pack-256k\"],\"policies\":[{\"type\":\"sleep\",\"sleepMs\":20000}]}"), 400);
        assertThat(p.path("detail").asString()).contains("less than or equal to 10000");
        assertThat(state()).isEqualTo(before);
    }

    // ---- item 10 ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../../x", "a b", "<script>", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void resultsPage_withAnIdThatIsNotAnId_is400(String id) throws Exception {
        HttpResponse<String> r = get("/results?reproduction=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        HttpResponse<String> e = get("/results?experiment=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        assertThat(e.statusCode()).as(e.body()).isEqualTo(400);
    }

    @Test
    void resultsPage_withAnUnknownReproduction_is404() throws Exception {
        HttpResponse<String> r = get("/results?reproduction=rp-0123456789abcdef");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).contains("No reproduction 'rp-0123456789abcdef'");
        assertThat(get("/results").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/merge-patch+json", "application/problem+json", "application/x-ndjson", "text/json"})
    void post_withAnotherJsonMediaType_is415(String type) throws Exception {
        State before = state();
        for (String path : List.of("/api/downloads", "/api/experiments", "/api/reproductions")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"repo\":\"pack-256k\",\"repos\":[\"pack-256k\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(415);
        }
        assertThat(state()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/error", "/error/", "/error?x=1"})
    void getError_is404(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("999");
    }

    @Test
    void realErrors_stillGetTheirProblemDetails() throws Exception {
        assertThat(get("/api/downloads/dl-0123456789abcdef").statusCode()).isEqualTo(404);
        assertThat(get("/no/such/path").statusCode()).isEqualTo(404);
    }

    // ---- item 5 ----

    @Test
    void theHttpPortBindsLoopbackOnly_byDefault() throws Exception {
        assertThat(env.getProperty("server.address")).isEqualTo("127.0.0.1");
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            assertThat(s.isConnected()).isTrue();
        }
        java.net.InetAddress outside = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(outside != null, "no non-loopback IPv4 address on this machine");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(outside, port), 2_000);
            }
        }).as("connect to %s:%d", outside, port).isInstanceOf(java.io.IOException.class);
    }

    // ---- helpers ----

    record State(int downloads, int experiments, int reproductions, int machinesCreated, int tlsDownloads) {
    }

    private State state() throws Exception {
        return new State(count("/api/downloads"), count("/api/experiments"), count("/api/reproductions"), KERNEL.created.size(),
                TLS_CLIENT.started.size());
    }

    private int count(String list) throws Exception {
        HttpResponse<String> r = get(list + "?limit=1000");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).size();
    }

    private static JsonNode problem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
