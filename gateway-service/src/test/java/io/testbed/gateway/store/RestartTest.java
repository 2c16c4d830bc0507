package io.testbed.gateway.store;

import io.testbed.gateway.GatewayApplication;
import io.testbed.gateway.fakes.Fakes;
import io.testbed.kernel.api.v1.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results survive a restart of the gateway on the same H2 file, and what was in flight when it
 * stopped is failed with a reason at the next start, not lost.
 */
class RestartTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @Test
    void downloadsExperimentsAndRuns_surviveARestart_andARunInFlightIsFailedWithAReason() throws Exception {
        String db = "jdbc:h2:file:" + dir.resolve("gateway-db") + ";DB_CLOSE_ON_EXIT=FALSE";
        String downloadId;
        String experimentId;
        String experimentJson;
        String csv;
        try (ConfigurableApplicationContext first = start(db)) {
            int port = port(first);
            downloadId = JSON.readTree(post(port, "/api/downloads", "{\"repo\":\"pack-4m\",\"seed\":3}").body()).path("id").asString();
            await(port, "/api/downloads/" + downloadId, d -> !"running".equals(d.path("status").asString()));
            experimentId = JSON.readTree(post(port, "/api/experiments",
                    "{\"repos\":[\"pack-4m\"],\"policies\":[{\"type\":\"sleep\",\"sleepMs\":10},{\"type\":\"sleep\",\"sleepMs\":1}],\"repetitions\":2}")
                    .body()).path("id").asString();
            experimentJson = await(port, "/api/experiments/" + experimentId, e -> "completed".equals(e.path("status").asString())).toString();
            csv = get(port, "/api/experiments/" + experimentId + "/results.csv").body();

            // what a crash leaves behind: an experiment, a run in flight, a run not started, a download followed
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            Timestamp now = Timestamp.from(Instant.now());
            jdbc.sql("INSERT INTO experiments (id, name, kind, status, created_at, total_runs, spec) VALUES ('ex-crash', 'crash', 'matrix', 'running', ?, 2, ?)")
                    .params(now, spec()).update();
            jdbc.sql("INSERT INTO runs (id, experiment_id, cell_index, repetition, seed, status, kernel, machine_id, started_at)"
                    + " VALUES ('ex-crash-c0-r1', 'ex-crash', 0, 1, 5, 'running', 'default', 'm-gone', ?)").params(now).update();
            jdbc.sql("INSERT INTO runs (id, experiment_id, cell_index, repetition, seed, status) VALUES ('ex-crash-c0-r2', 'ex-crash', 0, 2, 6, 'pending')").update();
        }
        // on the kernel: the in-flight run's machine, one created just before the crash that no row names yet,
        // and machines that are not the crashed gateway's to delete
        Fakes.KERNEL.machines.put("m-gone", Machine.newBuilder().setId("m-gone").setName("experiment ex-crash cell 0 rep 1").setOwner("ex-crash").build());
        Fakes.KERNEL.machines.put("m-unnamed", Machine.newBuilder().setId("m-unnamed").setName("experiment ex-crash cell 0 rep 2").setOwner("ex-crash").build());
        Fakes.KERNEL.machines.put("m-other", Machine.newBuilder().setId("m-other").setName("experiment ex-crash2 cell 0 rep 1").setOwner("ex-crash2").build());
        Fakes.KERNEL.machines.put("m-bench", Machine.newBuilder().setId("m-bench").setName("bench-4").build());

        try (ConfigurableApplicationContext second = start(db)) {
            int port = port(second);
            // a commit is in the file before it returns, so a killed gateway loses nothing it answered for (DurableH2)
            assertThat(second.getBean(JdbcClient.class).sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")
                    .query(String.class).list()).isNotEmpty().containsOnly("0");
            JsonNode download = JSON.readTree(get(port, "/api/downloads/" + downloadId).body());
            assertThat(download.path("status").asString()).isEqualTo("succeeded");
            assertThat(download.path("bytes").asLong()).isEqualTo(4_000_000L);

            assertThat(JSON.readTree(get(port, "/api/experiments/" + experimentId).body())).isEqualTo(JSON.readTree(experimentJson));
            assertThat(get(port, "/api/experiments/" + experimentId + "/results.csv").body()).isEqualTo(csv);

            JsonNode crashed = JSON.readTree(get(port, "/api/experiments/ex-crash").body());
            assertThat(crashed.path("status").asString()).isEqualTo("failed");
            assertThat(crashed.path("error").asString()).contains("the gateway stopped while the experiment ran");
            JsonNode runs = crashed.path("cells").get(0).path("runs");
            assertThat(runs.get(0).path("status").asString()).isEqualTo("failed");
            assertThat(runs.get(0).path("error").asString()).contains("in flight when the gateway stopped").contains("m-gone");
            assertThat(runs.get(1).path("status").asString()).isEqualTo("cancelled");
            assertThat(get(port, "/api/experiments/ex-crash/results.csv").body().lines()).hasSize(3);

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Fakes.KERNEL.machines.containsKey("m-unnamed") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Fakes.KERNEL.machines).as("the crashed experiment's machines are swept, by owner id; others stay")
                    .doesNotContainKeys("m-gone", "m-unnamed").containsKeys("m-other", "m-bench");
        } finally {
            Fakes.KERNEL.machines.keySet().removeAll(List.of("m-gone", "m-unnamed", "m-other", "m-bench")); // the fake is shared
        }
    }

    private static String spec() {
        return "{\"name\":\"crash\",\"kind\":\"matrix\",\"seed\":1,\"repetitions\":2,\"cpu\":null,\"maxSimulatedSeconds\":60,"
                + "\"cells\":[{\"index\":0,\"label\":\"c0\",\"group\":\"matrix\",\"repo\":\"pack-4m\",\"client\":\"bc\","
                + "\"policy\":{\"type\":\"sleep\",\"sleepMs\":10},\"machine\":{\"label\":\"default\",\"profile\":\"\",\"overrides\":{}},"
                + "\"downloads\":1,\"sessions\":0}]}";
    }

    private static ConfigurableApplicationContext start(String db) {
        // command-line arguments: they win over application.yml, as the test must
        return new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + db,
                "--testbed.git.url=" + Fakes.GIT.url(),
                "--testbed.pki.ca-file=" + Fakes.GIT.caFile(),
                "--testbed.tls-client.url=" + Fakes.TLS_CLIENT.url(),
                "--testbed.kernels.default=" + Fakes.KERNEL.target(),
                "--testbed.downloads.poll-interval=20ms",
                "--testbed.experiments.poll-interval=20ms");
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return ((WebServerApplicationContext) ctx).getWebServer().getPort();
    }

    private static JsonNode await(int port, String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode n = JSON.readTree(get(port, path).body());
            if (done.test(n)) {
                return n;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not end");
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
