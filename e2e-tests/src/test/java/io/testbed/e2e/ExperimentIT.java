package io.testbed.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An experiment matrix through the gateway's REST API with the real services: a 2 x 2 matrix (would-block
 * policy x machine) with 2 repetitions runs end to end on virtual-clock machines, its CSV has one row per
 * run with the documented columns, and the same matrix with the same seed gives the same figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentIT {

    /** The columns gateway-service/README.md documents for results.csv. */
    static final List<String> COLUMNS = List.of("experiment_id", "run_id", "cell", "cell_label", "group", "repetition", "seed",
            "kernel", "machine_id", "repo", "client", "policy", "profile", "overrides", "downloads", "sessions", "status",
            "simulated_s", "mean_download_s", "bytes", "throughput_Bps", "per_download_Bps", "would_blocks", "sleeps", "sleep_s",
            "reads", "tls_records", "network_cpu_share", "idle_cpu_share", "session_cpu_share", "download_cpu_share_mean",
            "download_cpu_share_min", "download_cpu_share_max", "echo_p50_ms", "echo_p99_ms", "completed_downloads", "machine_s",
            "wall_s", "error",
            // the client's file I/O and scratch's phases (issue 14)
            "fs_syscalls", "fs_bytes_read", "fs_bytes_written", "fs_sectors_read", "fs_sectors_written", "fs_s", "console_bytes",
            "mmap_bytes", "scratch_download_s", "scratch_pack_read_s", "scratch_unpack_s", "scratch_checkout_s",
            // echo loss and where the download's time went (issue 15)
            "keystrokes", "unechoed", "echo_loss", "t_client_cpu_s", "t_client_cpu_tls_s", "t_client_cpu_pack_s",
            "t_client_cpu_other_s", "t_file_io_s", "t_kernel_s", "t_sleeping_s", "t_ready_s",
            "t_net_spin_s", "t_net_ready_s", "t_net_blocked_s", "t_off_cpu_s", "t_total_s");
    /** Columns that name where and when a run happened, not what it measured. */
    static final List<String> CIRCUMSTANTIAL = List.of("experiment_id", "run_id", "machine_id", "kernel", "wall_s");

    static final String MATRIX = "{\"name\":\"sleep 10 vs 1 ms, Akuma's and exact sleeps\",\"repos\":[\"pack-256k\"],\"clients\":[\"bc\"],"
            + "\"policies\":[{\"type\":\"sleep\",\"sleepMs\":10},{\"type\":\"sleep\",\"sleepMs\":1}],"
            + "\"machines\":[{\"label\":\"akuma\",\"profile\":\"akuma-2026-01-31\"},{\"label\":\"hires\",\"profile\":\"akuma-2026-01-31\","
            + "\"overrides\":{\"sleep.model\":\"hires\"}}],\"downloads\":[1],\"sessions\":[0],\"repetitions\":2,\"seed\":42}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestbedStack stack;
    private GatewayClient gateway;

    @BeforeAll
    void startStack() throws Exception {
        stack = new TestbedStack("experiment").start();
        gateway = new GatewayClient(stack.gatewayUrl());
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void matrix2x2_twoRepetitions_runsEndToEnd_oneCsvRowPerRun_andTheSameSeedGivesTheSameFigures() throws Exception {
        String first = run(MATRIX);
        JsonNode experiment = gateway.get("/api/experiments/" + first).body();
        assertThat(experiment.path("progress").path("total").asInt()).isEqualTo(8);
        assertThat(experiment.path("progress").path("succeeded").asInt()).as("%s", experiment).isEqualTo(8);
        assertThat(experiment.path("cells")).hasSize(4);
        for (JsonNode cell : experiment.path("cells")) {
            assertThat(cell.path("runs")).hasSize(2);
            JsonNode time = cell.path("summary").path("simulatedSeconds");
            assertThat(time.path("median").asDouble()).isPositive();
            assertThat(time.path("min").asDouble()).isLessThanOrEqualTo(time.path("median").asDouble());
            assertThat(time.path("max").asDouble()).isGreaterThanOrEqualTo(time.path("median").asDouble());
            for (String figure : List.of("throughputBytesPerSecond", "wouldBlocks", "sleepSeconds", "networkCpuShare", "downloadCpuShareMean")) {
                assertThat(cell.path("summary").has(figure)).as("%s has %s", cell.path("label"), figure).isTrue();
            }
        }

        List<List<String>> rows = csv(first);
        assertThat(rows).hasSize(1 + 8);
        assertThat(rows.get(0)).containsExactlyElementsOf(COLUMNS);
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).hasSize(COLUMNS.size());
            assertThat(value(row, "status")).isEqualTo("succeeded");
            assertThat(Double.parseDouble(value(row, "simulated_s"))).isPositive();
            assertThat(Long.parseLong(value(row, "bytes"))).isGreaterThan(200_000L);
        }
        System.out.println(String.join("\n", rows.stream().map(r -> String.join(",", r)).toList()));

        String second = run(MATRIX);
        List<List<String>> again = csv(second);
        assertThat(measured(again)).as("same matrix, same seed").isEqualTo(measured(rows));
    }

    /**
     * Four downloads and a session on one machine: their clients attach at different real times, but the
     * machine holds simulated time until the fourth has attached (machine.start_after_threads, set by the
     * gateway), so the same seed gives the same figures, the scheduler's share included.
     */
    @Test
    void fourConcurrentDownloadsOnOneMachine_sameSeed_sameFigures() throws Exception {
        String matrix = "{\"name\":\"four at once\",\"repos\":[\"pack-256k\"],\"clients\":[\"bc\"],"
                + "\"policies\":[{\"type\":\"sleep\",\"sleepMs\":10}],\"downloads\":[4],\"sessions\":[1],\"repetitions\":1,\"seed\":7}";
        List<List<String>> first = csv(run(matrix));
        List<List<String>> second = csv(run(matrix));
        assertThat(first).hasSize(2);
        assertThat(value(first.get(1), "status")).isEqualTo("succeeded");
        assertThat(value(first.get(1), "completed_downloads")).isEqualTo("4");
        System.out.println("four downloads, one session: " + String.join(",", first.get(1)));
        assertThat(measured(second)).as("same matrix, same seed, four downloads at once").isEqualTo(measured(first));
    }

    @Test
    void matrixOverTheBound_isRefusedWith413NamingIt_andNothingRuns() throws Exception {
        int before = gateway.get("/api/experiments?limit=1000").body().size();
        GatewayClient.Response r = gateway.post("/api/experiments", "{\"repos\":[\"pack-256k\"],\"downloads\":[1,2,3,4],"
                + "\"sessions\":[0,1,2,3,4],\"repetitions\":100}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.contentType()).contains("application/problem+json");
        assertThat(r.body().path("detail").asText()).contains("2000 runs").contains("testbed.experiments.max-runs");
        assertThat(gateway.get("/api/experiments?limit=1000").body().size()).isEqualTo(before);
    }

    private String run(String matrix) throws Exception {
        GatewayClient.Response accepted = gateway.post("/api/experiments", matrix);
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        String id = accepted.body().path("id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = gateway.get("/api/experiments/" + id).body();
            if (!"running".equals(e.path("status").asText())) {
                assertThat(e.path("status").asText()).isEqualTo("completed");
                return id;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("experiment " + id + " still running after 5 minutes:\n" + stack.tail("gateway-service"));
    }

    private List<List<String>> csv(String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/experiments/" + id + "/results.csv"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<List<String>> rows = new ArrayList<>();
        // labels hold no commas or quotes, so a plain split is a faithful parse here
        r.body().lines().forEach(l -> rows.add(Arrays.asList(l.split(",", -1))));
        return rows;
    }

    private static String value(List<String> row, String column) {
        return row.get(COLUMNS.indexOf(column));
    }

    /** The rows without the columns that differ between two runs of the same thing. */
    private static List<List<String>> measured(List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < COLUMNS.size(); i++) {
                if (!CIRCUMSTANTIAL.contains(COLUMNS.get(i))) {
                    kept.add(row.get(i));
                }
            }
            out.add(kept);
        }
        return out;
    }
}
