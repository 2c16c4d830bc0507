package io.testbed.gateway.web;

import io.testbed.gateway.experiment.ExperimentCsv;
import io.testbed.gateway.fakes.Fakes;
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

/** {@code /api/experiments} over real HTTP against the fakes (tls-client, kernel-sim, git server). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "testbed.experiments.max-runs=20")
class ExperimentApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final String MATRIX_2X2 = "{\"name\":\"2x2\",\"repos\":[\"pack-4m\"],\"policies\":[{\"type\":\"sleep\",\"sleepMs\":10},"
            + "{\"type\":\"sleep\",\"sleepMs\":1}],\"machines\":[{\"profile\":\"akuma-2026-01-31\"},{\"label\":\"ratio 2\","
            + "\"overrides\":{\"sched.network_thread_ratio\":\"2\"}}],\"repetitions\":2,\"seed\":7}";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        Fakes.register(registry);
    }

    @Nested
    @DisplayName("A 2 x 2 matrix with 2 repetitions")
    class Matrix {

        @Test
        void post_runsEveryCellTwice_summarisesEachCell_andTheCsvHasOneRowPerRun() throws Exception {
            int machinesBefore = Fakes.KERNEL.created.size();
            HttpResponse<String> accepted = post(MATRIX_2X2);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String id = JSON.readTree(accepted.body()).path("id").asString();
            assertThat(accepted.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/experiments/" + id));

            JsonNode done = awaitCompleted(id);
            assertThat(done.path("progress").path("total").asInt()).isEqualTo(8);
            assertThat(done.path("progress").path("succeeded").asInt()).as(done.toString()).isEqualTo(8);
            assertThat(done.path("cells")).hasSize(4);
            JsonNode cell = done.path("cells").get(0);
            assertThat(cell.path("runs")).hasSize(2);
            assertThat(cell.path("summary").path("simulatedSeconds").path("median").asDouble()).isEqualTo(2.0);
            assertThat(cell.path("summary").path("throughputBytesPerSecond").path("median").asDouble()).isEqualTo(2_000_000.0);
            assertThat(cell.path("summary").path("networkCpuShare").path("median").asDouble()).isCloseTo(5e6 / 2.1e9, org.assertj.core.data.Offset.offset(1e-9));
            // the two repetitions of a cell have different seeds, derived from the experiment's
            assertThat(cell.path("runs").get(0).path("seed").asLong()).isNotEqualTo(cell.path("runs").get(1).path("seed").asLong());
            // every run created a machine (plus one check per distinct machine) and deleted it again
            assertThat(Fakes.KERNEL.created.size() - machinesBefore).isEqualTo(8 + 2);
            assertThat(Fakes.KERNEL.machines.keySet()).containsOnly("default");

            HttpResponse<String> csv = get("/api/experiments/" + id + "/results.csv");
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
            List<String> lines = csv.body().lines().toList();
            assertThat(lines).hasSize(1 + 8);
            assertThat(lines.get(0)).isEqualTo(String.join(",", ExperimentCsv.COLUMNS));
            for (String line : lines.subList(1, lines.size())) {
                assertThat(line.split(",", -1)).hasSize(ExperimentCsv.COLUMNS.size());
                assertThat(line).startsWith(id + ",").contains(",succeeded,");
            }
        }

        @Test
        void sameSeed_sameCells_getTheSameMachineSeeds_inAnyExperiment() throws Exception {
            String a = JSON.readTree(post(MATRIX_2X2).body()).path("id").asString();
            String b = JSON.readTree(post(MATRIX_2X2).body()).path("id").asString();
            JsonNode ea = awaitCompleted(a), eb = awaitCompleted(b);
            for (int c = 0; c < 4; c++) {
                for (int r = 0; r < 2; r++) {
                    assertThat(ea.path("cells").get(c).path("runs").get(r).path("seed").asLong())
                            .isEqualTo(eb.path("cells").get(c).path("runs").get(r).path("seed").asLong());
                }
            }
        }
    }

    @Nested
    @DisplayName("POST /api/experiments refused before anything runs")
    class Refused {

        @Test
        void post_moreRunsThanTheBound_returns413NamingTheBound_andStoresNothing() throws Exception {
            int experimentsBefore = JSON.readTree(get("/api/experiments?limit=1000").body()).size();
            int machinesBefore = Fakes.KERNEL.created.size();
            HttpResponse<String> r = post("{\"repos\":[\"pack-4m\"],\"downloads\":[1,2,3],\"sessions\":[0,1],\"repetitions\":4}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
            JsonNode problem = JSON.readTree(r.body());
            assertThat(problem.path("detail").asString()).contains("24 runs").contains("at most 20").contains("testbed.experiments.max-runs");
            assertThat(problem.path("maxRuns").asInt()).isEqualTo(20);
            assertThat(JSON.readTree(get("/api/experiments?limit=1000").body())).hasSize(experimentsBefore);
            assertThat(Fakes.KERNEL.created).hasSize(machinesBefore);
        }

        @Test
        void post_unknownPolicyInOneCell_returns400_andStoresNothing() throws Exception {
            int experimentsBefore = JSON.readTree(get("/api/experiments?limit=1000").body()).size();
            HttpResponse<String> r = post("{\"repos\":[\"pack-4m\"],\"policies\":[{\"type\":\"sleep\"},{\"type\":\"spin\"}]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("detail").asString()).contains("Unknown policy type 'spin'");
            assertThat(JSON.readTree(get("/api/experiments?limit=1000").body())).hasSize(experimentsBefore);
        }

        @Test
        void post_aMachineTheKernelRefuses_returns400WithItsMessage() throws Exception {
            HttpResponse<String> r = post("{\"repos\":[\"pack-4m\"],\"machines\":[{\"profile\":\"akuma-2026-01-31\"},{\"profile\":\"nope\"}]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("detail").asString()).contains("unknown profile 'nope'");
        }

        @Test
        void post_withoutRepos_returns400() throws Exception {
            HttpResponse<String> r = post("{\"repetitions\":2}");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("detail").asString()).contains("repos is required");
        }

        @Test
        void get_unknownExperiment_returns404() throws Exception {
            assertThat(get("/api/experiments/ex-nope").statusCode()).isEqualTo(404);
            assertThat(get("/api/experiments/ex-nope/results.csv").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void resultsPage_rendersWithoutAReproduction() throws Exception {
        HttpResponse<String> r = get("/results");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<h1>TLS kernel testbed: results</h1>").contains("id=\"no-reproduction\"");
    }

    private JsonNode awaitCompleted(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = JSON.readTree(get("/api/experiments/" + id).body());
            if (!"running".equals(e.path("status").asString())) {
                return e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("experiment " + id + " did not complete");
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/api/experiments")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
