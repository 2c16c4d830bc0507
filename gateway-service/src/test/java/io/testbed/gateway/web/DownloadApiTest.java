package io.testbed.gateway.web;

import io.testbed.gateway.fakes.FakeTlsClient;
import io.testbed.gateway.fakes.Fakes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's REST API over real HTTP, against in-test fakes of the git server (HTTPS with its own
 * CA), tls-client (HTTP) and kernel-sim (gRPC).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DownloadApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        Fakes.register(registry);
    }

    @Nested
    @DisplayName("POST /api/downloads with a body the gateway can refuse by itself")
    class InvalidBody {

        static Stream<Arguments> badBodies() {
            String tooMany = IntStream.range(0, 65).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(",", "{", "}"));
            return Stream.of(
                    Arguments.of("unknown top-level field", "{\"repo\":\"pack-4m\",\"colour\":\"red\"}", "Unknown field 'colour'"),
                    Arguments.of("unknown policy field", "{\"repo\":\"pack-4m\",\"policy\":{\"type\":\"sleep\",\"sleepNs\":1}}", "Unknown field 'policy.sleepNs'"),
                    Arguments.of("seed not a number", "{\"repo\":\"pack-4m\",\"seed\":\"abc\"}", "Field 'seed'"),
                    Arguments.of("seed a fraction", "{\"repo\":\"pack-4m\",\"seed\":1.5}", "Field 'seed'"),
                    Arguments.of("sleepMs not a number", "{\"repo\":\"pack-4m\",\"policy\":{\"sleepMs\":\"ten\"}}", "Field 'policy.sleepMs'"),
                    Arguments.of("overrides not an object", "{\"repo\":\"pack-4m\",\"overrides\":[1]}", "Field 'overrides'"),
                    Arguments.of("policy not an object", "{\"repo\":\"pack-4m\",\"policy\":\"sleep\"}", "Field 'policy'"),
                    Arguments.of("negative seed", "{\"repo\":\"pack-4m\",\"seed\":-1}", "seed must be greater than or equal to 0"),
                    Arguments.of("negative sleep", "{\"repo\":\"pack-4m\",\"policy\":{\"sleepMs\":-1}}", "policy.sleepMs must be greater than or equal to 0"),
                    Arguments.of("sleep over ten seconds", "{\"repo\":\"pack-4m\",\"policy\":{\"sleepMs\":10001}}", "policy.sleepMs must be less than or equal to 10000"),
                    Arguments.of("seed beyond a long", "{\"repo\":\"pack-4m\",\"seed\":99999999999999999999}", "Field 'seed'"),
                    Arguments.of("unknown clock", "{\"repo\":\"pack-4m\",\"clock\":\"wall\"}", "clock must be 'virtual' or 'live'"),
                    Arguments.of("missing repo", "{\"client\":\"bc\"}", "repo is required"),
                    Arguments.of("repo with a path", "{\"repo\":\"../etc\"}", "repo must start with a letter or digit"),
                    Arguments.of("too many overrides", "{\"repo\":\"pack-4m\",\"overrides\":" + tooMany + "}", "overrides may hold at most 64 settings"),
                    Arguments.of("override value too long", "{\"repo\":\"pack-4m\",\"overrides\":{\"a\":\"" + "x".repeat(257) + "\"}}", "overrides"),
                    Arguments.of("malformed JSON", "{\"repo\":", "Malformed JSON"),
                    Arguments.of("empty body", "", "JSON body"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badBodies")
        @DisplayName("answers 400 problem details saying what is wrong")
        void post_badBody_returns400ProblemDetails(String name, String body, String expectedDetail) throws Exception {
            int machinesBefore = Fakes.KERNEL.created.size();
            HttpResponse<String> response = post(body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(assertProblem(response, 400).path("detail").asString()).contains(expectedDetail);
            assertThat(Fakes.KERNEL.created).hasSize(machinesBefore);
        }

        @Test
        void post_bodyOverTheLimit_returns413() throws Exception {
            HttpResponse<String> response = post("{\"repo\":\"pack-4m\",\"profile\":\"" + "a".repeat(20_000) + "\"}");
            assertThat(assertProblem(response, 413).path("detail").asString()).contains("larger than 16384 bytes");
        }

        @Test
        void post_notJson_returns415ProblemDetails() throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/api/downloads"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("pack-4m")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertProblem(response, 415);
        }
    }

    @Nested
    @DisplayName("POST /api/downloads asking for what the services do not have")
    class UnknownToServices {

        @Test
        void post_unknownRepo_returns400ListingTheKnownRepos() throws Exception {
            assertThat(assertProblem(post("{\"repo\":\"pack-9g\"}"), 400).path("detail").asString())
                    .contains("Unknown repo 'pack-9g'").contains("pack-1m", "pack-256k", "pack-4m");
        }

        @Test
        void post_unknownClient_returns400ListingTheClients() throws Exception {
            assertThat(assertProblem(post("{\"repo\":\"pack-4m\",\"client\":\"openssl\"}"), 400).path("detail").asString()).contains("Unknown client 'openssl'").contains("[bc]");
        }

        @Test
        void post_unknownPolicy_returns400ListingThePolicies() throws Exception {
            assertThat(assertProblem(post("{\"repo\":\"pack-4m\",\"policy\":{\"type\":\"spin\"}}"), 400).path("detail").asString()).contains("Unknown policy type 'spin'").contains("[sleep]");
        }

        @Test
        void post_profileTheKernelRefuses_returns400WithTheKernelsMessage_andCreatesNoMachine() throws Exception {
            int before = Fakes.KERNEL.machines.size();
            assertThat(assertProblem(post("{\"repo\":\"pack-4m\",\"profile\":\"nope\"}"), 400).path("detail").asString()).contains("unknown profile 'nope'; known: akuma-2026-01-31");
            assertThat(Fakes.KERNEL.machines).hasSize(before);
        }

        @Test
        void post_kernelUnavailable_returns503NamingKernelSim() throws Exception {
            assertThat(assertProblem(post("{\"repo\":\"pack-4m\",\"profile\":\"down\"}"), 503).path("dependency").asString()).startsWith("kernel-sim-service");
        }

        @Test
        void post_tlsClientRefuses_returns400WithItsDetail_andDeletesTheMachine() throws Exception {
            int before = Fakes.KERNEL.machines.size();
            assertThat(assertProblem(post("{\"repo\":\"pack-4m\",\"policy\":{\"sleepMs\":" + FakeTlsClient.REFUSED_SLEEP_MS + "}}"), 400).path("detail").asString()).contains("sleepMs 4242 is not allowed here");
            assertThat(Fakes.KERNEL.machines).hasSize(before);
        }
    }

    @Nested
    @DisplayName("A download that runs")
    class Running {

        @Test
        void post_validRequest_returns202_thenSucceedsWithFiguresAndStats_andDeletesItsMachine() throws Exception {
            HttpResponse<String> accepted = post("{\"repo\":\"pack-4m\",\"client\":\"bc\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":1},"
                    + "\"clock\":\"virtual\",\"profile\":\"akuma-2026-01-31\",\"overrides\":{\"sched.ratio\":\"4\"},\"seed\":7}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            JsonNode body = JSON.readTree(accepted.body());
            String id = body.path("id").asString();
            assertThat(body.path("status").asString()).isEqualTo("running");
            assertThat(accepted.headers().firstValue("Location")).hasValue(uri("/api/downloads/" + id).toString());

            JsonNode started = Fakes.TLS_CLIENT.started.get(Fakes.TLS_CLIENT.started.size() - 1);
            assertThat(started.path("repo").asString()).isEqualTo("pack-4m");
            assertThat(started.path("policy").path("sleepMs").asInt()).isEqualTo(1);
            String machineId = started.path("machineId").asString();
            assertThat(Fakes.KERNEL.created).contains(machineId);

            JsonNode result = awaitEnd(id);
            assertThat(result.path("status").asString()).isEqualTo("succeeded");
            assertThat(result.path("machineId").asString()).isEqualTo(machineId);
            assertThat(result.path("seed").asLong()).isEqualTo(7);
            assertThat(result.path("profile").asString()).isEqualTo("akuma-2026-01-31");
            assertThat(result.path("bytes").asLong()).isEqualTo(4_000_000);
            assertThat(result.path("pack").path("verified").asBoolean()).isTrue();
            assertThat(result.path("simulatedSeconds").asDouble()).isEqualTo(2.0);
            assertThat(result.path("wallSeconds").asDouble()).isEqualTo(0.5);
            assertThat(result.path("throughputBytesPerSecond").asDouble()).isEqualTo(2_000_000.0);
            assertThat(result.path("sleepSeconds").asDouble()).isEqualTo(0.7);
            assertThat(result.path("handshakeSeconds").asDouble()).isEqualTo(0.03);
            assertThat(result.path("wouldBlocks").asLong()).isEqualTo(700);
            assertThat(result.path("reads").asLong()).isEqualTo(1500);
            assertThat(result.path("kernel").path("counters").path("context_switches").asLong()).isEqualTo(42);
            assertThat(result.path("kernel").path("threads").get(0).path("kind").asString()).isEqualTo("network");
            assertThat(Fakes.KERNEL.deleted).contains(machineId);

            JsonNode list = JSON.readTree(get("/api/downloads").body());
            assertThat(list.isArray()).isTrue();
            assertThat(list.findValuesAsString("id")).contains(id);
        }

        @Test
        void post_liveClockWithoutSettings_runsOnTheDefaultLiveMachine_andKeepsIt() throws Exception {
            HttpResponse<String> accepted = post("{\"repo\":\"pack-256k\",\"clock\":\"live\"}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            JsonNode started = Fakes.TLS_CLIENT.started.get(Fakes.TLS_CLIENT.started.size() - 1);
            assertThat(started.path("machineId").asString()).isEqualTo("default");
            assertThat(started.path("policy").path("sleepMs").asInt()).isEqualTo(10);
            assertThat(started.path("client").asString()).isEqualTo("bc");

            JsonNode result = awaitEnd(JSON.readTree(accepted.body()).path("id").asString());
            assertThat(result.path("status").asString()).isEqualTo("succeeded");
            assertThat(result.path("machineId").asString()).isEqualTo("default");
            assertThat(Fakes.KERNEL.deleted).doesNotContain("default");
            assertThat(Fakes.KERNEL.machines).containsKey("default");
        }

        @Test
        void list_limitOutOfRange_returns400NamingIt() throws Exception {
            assertThat(assertProblem(get("/api/downloads?limit=0"), 400).path("detail").asString())
                    .contains("limit must be greater than or equal to 1");
        }

        @Test
        void get_unknownId_returns404ProblemDetails() throws Exception {
            assertThat(assertProblem(get("/api/downloads/dl-nope"), 404).path("detail").asString()).contains("No download 'dl-nope'");
        }
    }

    @Nested
    @DisplayName("Around the API")
    class Around {

        @Test
        void repos_areListedAsTheGitServerListsThem() throws Exception {
            HttpResponse<String> response = get("/api/repos");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).findValuesAsString("name")).contains("pack-4m");
        }

        @Test
        void machines_areListedWithTheirKernel() throws Exception {
            HttpResponse<String> response = get("/api/machines");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).findValuesAsString("kernel")).contains("default");
        }

        @Test
        void openApiAndSwaggerUi_areServed() throws Exception {
            HttpResponse<String> docs = get("/v3/api-docs");
            assertThat(docs.statusCode()).isEqualTo(200);
            assertThat(docs.body()).contains("/api/downloads");
            assertThat(get("/swagger-ui.html").statusCode()).isIn(200, 302);
        }

        @Test
        void actuator_exposesHealthInfoAndPrometheusOnly() throws Exception {
            assertThat(get("/actuator/health").body()).contains("UP");
            assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
            String prometheus = get("/actuator/prometheus").body();
            assertThat(prometheus).contains("gateway_downloads_active{").contains("gateway_download_wall_seconds");
            assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
            assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
        }

        @Test
        void unknownRoute_isAProblemDetail() throws Exception {
            assertProblem(get("/api/nothing"), 404);
        }
    }

    private JsonNode awaitEnd(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode d = JSON.readTree(get("/api/downloads/" + id).body());
            if (!"running".equals(d.path("status").asString())) {
                return d;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("download " + id + " still running after 10 s");
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        return problem;
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/api/downloads")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
