package io.testbed.gateway.web;

import io.testbed.gateway.fakes.FakeGitServer;
import io.testbed.gateway.fakes.FakeKernel;
import io.testbed.gateway.fakes.FakeTlsClient;
import io.testbed.gateway.fakes.Fakes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's bounds on what runs at once and on what may be fetched: {@code testbed.downloads.max-running}
 * (here 2), {@code testbed.experiments.max-running} (here 1, reproductions included) and
 * {@code testbed.downloads.max-repo-bytes} (here 1 MiB: {@code pack-1m} is exactly at it). The fake
 * tls-client holds its downloads running while {@link FakeTlsClient#hold} is set, so the bounds fill
 * up deterministically; the test then waits (polling with a deadline) for them to end.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.downloads.max-running=2", "testbed.experiments.max-running=1", "testbed.downloads.max-repo-bytes=1MB"})
class GatewayBoundsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    static final Fakes.Own FAKES = Fakes.own(FakeGitServer.REPOS_WITH_SIZES, null);
    static final FakeGitServer GIT = FAKES.git();
    static final FakeTlsClient TLS_CLIENT = FAKES.tlsClient();
    static final FakeKernel KERNEL = FAKES.kernel();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        FAKES.register(registry);
    }

    @AfterAll
    static void closeFakes() throws Exception {
        FAKES.close();
    }

    @AfterEach
    void release() {
        TLS_CLIENT.hold = false;
    }

    @Nested
    @DisplayName("testbed.downloads.max-running")
    class RunningDownloads {

        @Test
        void post_overMaxRunning_returns429WithRetryAfterNamingTheBound_storesNothing_andAcceptsAgainOnceOneEnded() throws Exception {
            TLS_CLIENT.hold = true;
            String first = accepted(post("/api/downloads", "{\"repo\":\"pack-256k\"}"));
            String second = accepted(post("/api/downloads", "{\"repo\":\"pack-1m\",\"seed\":2}"));
            State before = state();

            HttpResponse<String> refused = post("/api/downloads", "{\"repo\":\"pack-256k\",\"seed\":3}");

            JsonNode problem = assertTooMany(refused);
            assertThat(problem.path("detail").asString()).contains("2 downloads are running already", "testbed.downloads.max-running = 2",
                    "nothing was started", "retry after");
            assertThat(problem.path("bound").asInt()).isEqualTo(2);
            assertThat(problem.path("setting").asString()).isEqualTo("testbed.downloads.max-running");
            assertThat(state()).isEqualTo(before);

            TLS_CLIENT.hold = false;
            assertThat(awaitEnd("/api/downloads/" + first, "running").path("status").asString()).isEqualTo("succeeded");
            assertThat(awaitEnd("/api/downloads/" + second, "running").path("status").asString()).isEqualTo("succeeded");
            String third = accepted(post("/api/downloads", "{\"repo\":\"pack-256k\",\"seed\":3}"));
            assertThat(awaitEnd("/api/downloads/" + third, "running").path("status").asString()).isEqualTo("succeeded");
        }
    }

    @Nested
    @DisplayName("testbed.experiments.max-running")
    class RunningExperiments {

        @Test
        void post_experimentOrReproductionOverMaxRunning_returns429WithRetryAfter_storesNothing_andAcceptsAgainOnceItEnded() throws Exception {
            TLS_CLIENT.hold = true;
            int startedBefore = TLS_CLIENT.started.size();
            String running = accepted(post("/api/experiments", "{\"repos\":[\"pack-256k\"]}"));
            // its one run creates its machine and starts its download in the background: wait for that
            awaitTrue(() -> TLS_CLIENT.started.size() == startedBefore + 1, "the experiment's download started on tls-client");
            State before = state();

            JsonNode experiment = assertTooMany(post("/api/experiments", "{\"repos\":[\"pack-256k\"],\"seed\":2}"));
            assertThat(experiment.path("detail").asString()).contains("1 experiments and reproductions are running already",
                    "testbed.experiments.max-running = 1", "retry after");
            assertThat(experiment.path("setting").asString()).isEqualTo("testbed.experiments.max-running");
            JsonNode reproduction = assertTooMany(post("/api/reproductions", "{\"repo\":\"pack-256k\",\"repetitions\":1}"));
            assertThat(reproduction.path("detail").asString()).contains("testbed.experiments.max-running = 1");
            assertThat(state()).isEqualTo(before);

            TLS_CLIENT.hold = false;
            assertThat(awaitEnd("/api/experiments/" + running, "running").path("status").asString()).isEqualTo("completed");
            String next = accepted(post("/api/experiments", "{\"repos\":[\"pack-256k\"],\"seed\":2}"));
            assertThat(awaitEnd("/api/experiments/" + next, "running").path("status").asString()).isEqualTo("completed");
        }
    }

    @Nested
    @DisplayName("testbed.downloads.max-repo-bytes")
    class RepositorySize {

        @Test
        void post_repositoryAtTheBound_isAccepted() throws Exception {
            String id = accepted(post("/api/downloads", "{\"repo\":\"pack-1m\"}"));
            assertThat(awaitEnd("/api/downloads/" + id, "running").path("status").asString()).isEqualTo("succeeded");
        }

        @Test
        void post_repositoryOverTheBound_returns413NamingRepoSizeAndBound_forDownloadsExperimentsAndReproductions() throws Exception {
            State before = state();
            for (String[] request : new String[][] {{"/api/downloads", "{\"repo\":\"pack-4m\"}"},
                    {"/api/experiments", "{\"repos\":[\"pack-1m\",\"pack-4m\"]}"}, {"/api/reproductions", "{\"repo\":\"pack-4m\"}"}}) {
                HttpResponse<String> response = post(request[0], request[1]);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                JsonNode problem = JSON.readTree(response.body());
                assertThat(problem.path("detail").asString()).contains("Repository 'pack-4m' is 4194304 bytes", "bound of 1048576 bytes",
                        "testbed.downloads.max-repo-bytes");
                assertThat(problem.path("repo").asString()).isEqualTo("pack-4m");
                assertThat(problem.path("sizeBytes").asLong()).isEqualTo(4_194_304L);
                assertThat(problem.path("maxRepoBytes").asLong()).isEqualTo(1_048_576L);
                assertThat(state()).isEqualTo(before);
            }
        }
    }

    /** What the gateway stored and what the fakes were asked to do. */
    record State(int downloads, int experiments, int reproductions, int machinesCreated, List<String> machinesAlive, int tlsDownloads) {
    }

    private State state() throws Exception {
        return new State(count("/api/downloads"), count("/api/experiments"), count("/api/reproductions"), KERNEL.created.size(),
                KERNEL.machines.keySet().stream().sorted().toList(), TLS_CLIENT.started.size());
    }

    private int count(String list) throws Exception {
        HttpResponse<String> r = get(list + "?limit=1000");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).size();
    }

    private JsonNode assertTooMany(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        return problem;
    }

    private String accepted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("id").asString();
    }

    private JsonNode awaitEnd(String path, String runningStatus) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode body = JSON.readTree(get(path).body());
            if (!runningStatus.equals(body.path("status").asString())) {
                return body;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(path + " still " + runningStatus + " after " + DEADLINE.toSeconds() + " s");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            Thread.sleep(10);
        }
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
