package io.testbed.gateway.web;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadSpec;
import io.testbed.gateway.download.DownloadStore;
import io.testbed.gateway.download.Policy;
import io.testbed.gateway.fakes.Fakes;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineSpec;
import io.testbed.gateway.retention.RetentionSweep;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 11: {@code DELETE} of downloads, experiments and reproductions (204, 404, 400, 409 while
 * running, nothing else deleted) and the retention sweep (keeps the newest N ended ones, never a running one).
 * Rows are written straight into the database in each state, so every case is exact.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.retention.sweep-interval=0", "testbed.retention.max-downloads=3", "testbed.retention.max-experiments=2",
        "testbed.retention.max-reproductions=1", "testbed.retention.max-age=30d"})
class DeleteAndRetentionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DownloadStore downloads;
    @Autowired
    MachineAdminClient machines;
    @Autowired
    RetentionSweep sweep;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        Fakes.register(registry);
    }

    @Test
    void deleteDownload_ended_204_deletesItsMachine_andNothingElse() throws Exception {
        String machine = machines.create("default", new MachineSpec("", Map.of(), "virtual", 1, "gateway dl-del-1")).id();
        download("dl-del-1", Status.SUCCEEDED, T0, machine);
        download("dl-del-2", Status.FAILED, T0, null);
        assertThat(Fakes.KERNEL.machines).containsKey(machine);

        HttpResponse<String> r = delete("/api/downloads/dl-del-1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(get("/api/downloads/dl-del-1").statusCode()).isEqualTo(404);
        assertThat(Fakes.KERNEL.machines).doesNotContainKey(machine);
        assertThat(get("/api/downloads/dl-del-2").statusCode()).isEqualTo(200);
        assertProblem(delete("/api/downloads/dl-del-1"), 404);
    }

    @Test
    void deleteDownload_running_409NamingTheState_unknown404_notAnId400() throws Exception {
        download("dl-run-1", Status.RUNNING, T0, null);
        JsonNode problem = assertProblem(delete("/api/downloads/dl-run-1"), 409);
        assertThat(problem.path("state").asString()).isEqualTo("running");
        assertThat(problem.path("detail").asString()).contains("dl-run-1", "running");
        assertThat(get("/api/downloads/dl-run-1").statusCode()).isEqualTo(200);
        assertProblem(delete("/api/downloads/dl-0123456789abcdef"), 404);
        for (String kind : List.of("downloads", "experiments", "reproductions")) {
            assertProblem(delete("/api/" + kind + "/-x"), 400);
            assertProblem(delete("/api/" + kind + "/" + "a".repeat(65)), 400);
        }
    }

    @Test
    void deleteExperiment_ended_204_withItsRuns_otherExperimentsKept_running409_unknown404() throws Exception {
        experiment("ex-del-1", "completed", "matrix", T0);
        experiment("ex-del-2", "failed", "matrix", T0);
        experiment("ex-del-3", "running", "matrix", T0);

        assertThat(delete("/api/experiments/ex-del-1").statusCode()).isEqualTo(204);
        assertThat(count("experiments", "ex-del-1")).isZero();
        assertThat(runs("ex-del-1")).isZero();
        assertThat(count("experiments", "ex-del-2")).isEqualTo(1);
        assertThat(runs("ex-del-2")).isEqualTo(2);

        JsonNode problem = assertProblem(delete("/api/experiments/ex-del-3"), 409);
        assertThat(problem.path("state").asString()).isEqualTo("running");
        assertThat(runs("ex-del-3")).isEqualTo(2);
        assertProblem(delete("/api/experiments/ex-del-1"), 404);
    }

    @Test
    void deleteReproduction_ended_204_withChartsExperimentAndRuns_running409_unknown404() throws Exception {
        experiment("ex-rp-1", "completed", "reproduction", T0);
        reproduction("rp-del-1", "ex-rp-1", "completed", T0);
        experiment("ex-rp-2", "completed", "reproduction", T0);
        reproduction("rp-del-2", "ex-rp-2", "running", T0);

        assertThat(delete("/api/reproductions/rp-del-1").statusCode()).isEqualTo(204);
        assertThat(count("reproductions", "rp-del-1")).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM charts WHERE reproduction_id = 'rp-del-1'").query(Integer.class).single()).isZero();
        assertThat(count("experiments", "ex-rp-1")).isZero();
        assertThat(runs("ex-rp-1")).isZero();

        assertThat(assertProblem(delete("/api/reproductions/rp-del-2"), 409).path("state").asString()).isEqualTo("running");
        // its experiment ended, but the report is being written: the experiment is not deleted under it
        assertProblem(delete("/api/experiments/ex-rp-2"), 409);
        assertThat(count("experiments", "ex-rp-2")).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM charts WHERE reproduction_id = 'rp-del-2'").query(Integer.class).single()).isEqualTo(1);
        assertProblem(delete("/api/reproductions/rp-0123456789abcdef"), 404);
    }

    @Test
    void retentionSweep_keepsTheNewestN_deletesOlderAndTooOld_neverRunning() {
        for (String table : List.of("charts", "reproductions", "runs", "experiments", "downloads")) {
            jdbc.sql("DELETE FROM " + table).update();
        }
        Instant now = T0.plus(Duration.ofDays(60));
        for (int i = 1; i <= 5; i++) {
            download("dl-ret-" + i, Status.SUCCEEDED, now.minus(Duration.ofHours(10 - i)), null);
        }
        download("dl-ret-run-old", Status.RUNNING, now.minus(Duration.ofDays(50)), null);
        download("dl-ret-run-new", Status.RUNNING, now, null);
        for (int i = 1; i <= 4; i++) {
            experiment("ex-ret-" + i, "completed", "matrix", now.minus(Duration.ofHours(10 - i)));
        }
        experiment("ex-ret-run", "running", "matrix", now.minus(Duration.ofDays(40)));
        experiment("ex-ret-rp-1", "completed", "reproduction", now.minus(Duration.ofHours(5)));
        reproduction("rp-ret-1", "ex-ret-rp-1", "completed", now.minus(Duration.ofHours(5)));
        experiment("ex-ret-rp-2", "completed", "reproduction", now.minus(Duration.ofHours(1)));
        reproduction("rp-ret-2", "ex-ret-rp-2", "completed", now.minus(Duration.ofHours(1)));
        // within max-experiments by count (the newest) but 31 days old: gone by age
        experiment("ex-ret-aged", "failed", "matrix", now.minus(Duration.ofDays(31)));

        RetentionSweep.Swept swept = sweep.sweep(now);

        assertThat(ids("downloads")).containsExactlyInAnyOrder("dl-ret-3", "dl-ret-4", "dl-ret-5", "dl-ret-run-old", "dl-ret-run-new");
        assertThat(ids("experiments")).containsExactlyInAnyOrder("ex-ret-3", "ex-ret-4", "ex-ret-run", "ex-ret-rp-2");
        assertThat(ids("reproductions")).containsExactly("rp-ret-2");
        assertThat(swept).isEqualTo(new RetentionSweep.Swept(2, 3, 1));
        assertThat(runs("ex-ret-1")).isZero();
        assertThat(runs("ex-ret-run")).isEqualTo(2);
        assertThat(sweep.sweep(now)).isEqualTo(new RetentionSweep.Swept(0, 0, 0));
    }

    // ---- rows in each state ----

    private void download(String id, Status status, Instant at, String machine) {
        DownloadSpec spec = new DownloadSpec("default", "pack-4m", "bc", new Policy("sleep", 10, null), "virtual", "", Map.of(), 1);
        downloads.save(new Download(id, status, spec, machine == null ? "default" : machine, machine != null, "t-" + id, at,
                status == Status.RUNNING ? null : at.plusSeconds(5), null, null, null));
    }

    private void experiment(String id, String status, String kind, Instant at) {
        jdbc.sql("INSERT INTO experiments (id, name, kind, status, created_at, finished_at, total_runs, spec) VALUES"
                        + " (:id, :id, :kind, :status, :at, NULL, 2, '{}')")
                .param("id", id).param("kind", kind).param("status", status).param("at", Timestamp.from(at)).update();
        for (int rep = 1; rep <= 2; rep++) {
            jdbc.sql("INSERT INTO runs (id, experiment_id, cell_index, repetition, seed, status) VALUES (:run, :id, 0, :rep, 1, 'succeeded')")
                    .param("run", id + "-c0-r" + rep).param("id", id).param("rep", rep).update();
        }
    }

    private void reproduction(String id, String experiment, String status, Instant at) {
        jdbc.sql("INSERT INTO reproductions (id, experiment_id, status, created_at, request) VALUES (:id, :ex, :status, :at, '{}')")
                .param("id", id).param("ex", experiment).param("status", status).param("at", Timestamp.from(at)).update();
        jdbc.sql("INSERT INTO charts (reproduction_id, name, svg) VALUES (:id, 'policy-time.svg', '<svg/>')").param("id", id).update();
    }

    private int count(String table, String id) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE id = :id").param("id", id).query(Integer.class).single();
    }

    private int runs(String experiment) {
        return jdbc.sql("SELECT COUNT(*) FROM runs WHERE experiment_id = :id").param("id", experiment).query(Integer.class).single();
    }

    private List<String> ids(String table) {
        return jdbc.sql("SELECT id FROM " + table).query(String.class).list();
    }

    // ---- HTTP ----

    private HttpResponse<String> delete(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        return problem;
    }
}
