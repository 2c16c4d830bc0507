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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway killed (SIGKILL, no shutdown of any kind) while an experiment runs and a download is
 * followed, then started again on the same H2 file, ports and data folder. What the database said was
 * in flight must be failed with a reason, what had completed must be kept as it was, and the gateway
 * must be usable again.
 *
 * <p>The experiment has runs of different lengths: three pack-256k runs (about a second of wall time
 * each) and three pack-4m runs (several seconds each), two at a time
 * ({@code testbed.experiments.parallel-runs=2}). The gateway is killed once the three short runs have
 * succeeded and a long one is running on its machine: then two runs are in flight and one is queued.
 *
 * <p>Meanwhile tls-client and kernel-sim go on: the downloads of the killed gateway usually finish on
 * their machines before it is back, but their figures are not collected (nothing is resumed). kernel-sim
 * keeps a machine until it is told to delete it, so the restarted gateway must delete the machines the
 * killed one created, the single download's included (it once did not: that machine stayed for good).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayCrashIT {

    static final String GATEWAY = "gateway-service";

    static final String MATRIX = "{\"name\":\"crash: short and long runs\",\"repos\":[\"pack-256k\",\"pack-4m\"],\"clients\":[\"bc\"],"
            + "\"policies\":[{\"type\":\"sleep\",\"sleepMs\":10}],\"repetitions\":3,\"seed\":8}";
    static final String AFTER = "{\"name\":\"after the restart\",\"repos\":[\"pack-256k\"],\"clients\":[\"bc\"],"
            + "\"policies\":[{\"type\":\"sleep\",\"sleepMs\":10}],\"repetitions\":1,\"seed\":8}";
    static final String DOWNLOAD = "{\"repo\":\"pack-4m\",\"client\":\"bc\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":10},"
            + "\"clock\":\"virtual\",\"seed\":5}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestbedStack stack;
    private GatewayClient gateway;

    @BeforeAll
    void startStack() throws Exception {
        stack = new TestbedStack("gateway-crash").withArgs(GATEWAY,
                "--testbed.experiments.parallel-runs=2",
                "--testbed.experiments.poll-interval=100ms").start();
        gateway = new GatewayClient(stack.gatewayUrl());
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void gatewayKilledMidExperiment_restartFailsWhatWasInFlight_keepsWhatCompleted_andRunsANewExperiment() throws Exception {
        GatewayClient.Response accepted = post("/api/experiments", MATRIX);
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        String experimentId = accepted.body().path("id").asText();

        // the short runs have all succeeded and a long one is on its machine
        awaitExperiment(experimentId, Duration.ofMinutes(3), e -> {
            List<JsonNode> runs = runs(e);
            boolean shortDone = runs.stream().filter(r -> "pack-256k".equals(r.path("repo").asText()))
                    .allMatch(r -> "succeeded".equals(r.path("status").asText()));
            boolean longRunning = runs.stream().anyMatch(r -> "running".equals(r.path("status").asText())
                    && !r.path("machineId").asText("").isEmpty());
            return shortDone && longRunning;
        });

        // a single download in flight too
        GatewayClient.Response started = post("/api/downloads", DOWNLOAD);
        assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
        String downloadId = started.body().path("id").asText();

        // what the gateway shows just before the kill; the experiment last, the kill right after it
        JsonNode downloadBefore = gateway.get("/api/downloads/" + downloadId).body();
        assertThat(downloadBefore.path("status").asText()).isEqualTo("running");
        String downloadMachine = downloadBefore.path("machineId").asText();
        JsonNode machinesBefore = gateway.get("/api/machines").body();
        assertThat(machineIds(machinesBefore)).as("the download's machine exists on the kernel").contains(downloadMachine);
        Map<String, List<String>> csvBefore = csvByRunId(experimentId);
        // a run is stored as running just before its machine is created: take one where every running run names its machine
        JsonNode before = awaitExperiment(experimentId, Duration.ofSeconds(10), e -> runs(e).stream()
                .filter(r -> "running".equals(r.path("status").asText())).allMatch(r -> !r.path("machineId").asText("").isEmpty()));
        long pid = stack.process(GATEWAY).pid();
        stack.kill(GATEWAY);
        long killedAt = System.nanoTime();

        Map<String, JsonNode> runsBefore = byId(runs(before));
        List<String> completedBefore = idsWithStatus(runsBefore, "succeeded");
        List<String> runningBefore = idsWithStatus(runsBefore, "running");
        List<String> pendingBefore = idsWithStatus(runsBefore, "pending");
        assertThat(completedBefore).as("runs completed before the kill: at least the short ones")
                .containsAll(runsBefore.values().stream().filter(r -> "pack-256k".equals(r.path("repo").asText()))
                        .map(r -> r.path("id").asText()).toList());
        assertThat(runningBefore).as("runs in flight at the kill").isNotEmpty();
        List<String> runMachines = runningBefore.stream().map(id -> runsBefore.get(id).path("machineId").asText()).toList();
        assertThat(stack.process(GATEWAY).isAlive()).isFalse();
        assertThat(stack.process(GATEWAY).exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(128 + 9);
        Duration restart = stack.restart(GATEWAY);
        long upAt = System.nanoTime();
        assertThat(stack.process(GATEWAY).pid()).isNotEqualTo(pid);

        // the experiment is failed, saying why
        JsonNode after = gateway.get("/api/experiments/" + experimentId).body();
        assertThat(after.path("status").asText()).as("%s", after).isEqualTo("failed");
        assertThat(after.path("error").asText()).contains("the gateway stopped while the experiment ran")
                .contains(runningBefore.size() + " runs in flight were marked failed")
                .contains(pendingBefore.size() + " not yet started were cancelled");
        JsonNode progress = after.path("progress");
        assertThat(progress.path("total").asInt()).isEqualTo(6);
        assertThat(progress.path("running").asInt()).isZero();
        assertThat(progress.path("pending").asInt()).isZero();
        assertThat(progress.path("succeeded").asInt()).isEqualTo(completedBefore.size());
        assertThat(progress.path("failed").asInt()).isEqualTo(runningBefore.size());
        assertThat(progress.path("cancelled").asInt()).isEqualTo(pendingBefore.size());

        Map<String, JsonNode> runsAfter = byId(runs(after));
        assertThat(runsAfter.keySet()).containsExactlyInAnyOrderElementsOf(runsBefore.keySet());
        for (String id : completedBefore) {
            JsonNode was = runsBefore.get(id), is = runsAfter.get(id);
            assertThat(is.path("status").asText()).as(id).isEqualTo("succeeded");
            JsonNode wasResult = was.path("result"), isResult = is.path("result");
            assertThat(isResult.path("simulatedSeconds").asDouble()).as(id).isPositive()
                    .isEqualTo(wasResult.path("simulatedSeconds").asDouble());
            assertThat(isResult.path("bytes").asLong()).as(id).isGreaterThan(200_000L).isEqualTo(wasResult.path("bytes").asLong());
            assertThat(isResult.path("completed").asInt()).as(id).isEqualTo(1);
            assertThat(isResult.path("downloads").get(0).path("verified").asBoolean()).as(id + " pack verified").isTrue();
            assertThat(is).as("run %s as a whole", id).isEqualTo(was);
        }
        for (String id : runningBefore) {
            JsonNode is = runsAfter.get(id);
            assertThat(is.path("status").asText()).as(id).isEqualTo("failed");
            assertThat(is.path("error").asText()).as(id).contains("in flight when the gateway stopped")
                    .contains(runsBefore.get(id).path("machineId").asText());
            assertThat(is.path("finishedAt").isNull()).as(id + " has an end").isFalse();
        }
        for (String id : pendingBefore) {
            JsonNode is = runsAfter.get(id);
            assertThat(is.path("status").asText()).as(id).isEqualTo("cancelled");
            assertThat(is.path("error").asText()).as(id).contains("not started when the gateway stopped");
        }

        // the CSV still serves the completed rows, unchanged, and one row per run
        Map<String, List<String>> csvAfter = csvByRunId(experimentId);
        assertThat(csvAfter).hasSize(6);
        for (String id : completedBefore) {
            assertThat(value(csvAfter.get(id), "status")).isEqualTo("succeeded");
            assertThat(Long.parseLong(value(csvAfter.get(id), "bytes"))).isEqualTo(runsBefore.get(id).path("result").path("bytes").asLong());
            if ("succeeded".equals(value(csvBefore.get(id), "status"))) { // read a moment before the experiment
                assertThat(csvAfter.get(id)).as("CSV row of %s", id).isEqualTo(csvBefore.get(id));
            }
        }
        for (String id : runningBefore) {
            assertThat(value(csvAfter.get(id), "status")).isEqualTo("failed");
            assertThat(value(csvAfter.get(id), "error")).contains("in flight when the gateway stopped");
        }

        // the download followed at the kill is failed with the reason
        JsonNode download = gateway.get("/api/downloads/" + downloadId).body();
        assertThat(download.path("status").asText()).as("%s", download).isEqualTo("failed");
        assertThat(download.path("error").asText()).contains("the gateway stopped while following this download")
                .contains("machine " + downloadMachine + " was deleted if it still existed");

        // the runs' machines are deleted at the restart (in the background: wait for it)
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> machinesAfter = machineIds(gateway.get("/api/machines").body());
        boolean goneAtFirstLook = machinesAfter.stream().noneMatch(runMachines::contains) && !machinesAfter.contains(downloadMachine);
        while (machinesAfter.stream().anyMatch(runMachines::contains) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            machinesAfter = machineIds(gateway.get("/api/machines").body());
        }
        double runMachinesGone = (System.nanoTime() - upAt) / 1e9;
        assertThat(machinesAfter).as("the in-flight runs' machines after the restart").doesNotContainAnyElementsOf(runMachines);
        // ... and the download's machine too
        deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (machinesAfter.contains(downloadMachine) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            machinesAfter = machineIds(gateway.get("/api/machines").body());
        }
        double downloadMachineGone = (System.nanoTime() - upAt) / 1e9;
        assertThat(machinesAfter).as("the in-flight download's machine after the restart").doesNotContain(downloadMachine);
        // nothing the killed gateway created is left on the kernel (machines are named after what they ran)
        List<String> left = new ArrayList<>();
        gateway.get("/api/machines").body().forEach(m -> {
            if (m.path("name").asText().contains(experimentId) || m.path("name").asText().contains(downloadId)) {
                left.add(m.toString());
            }
        });
        assertThat(left).as("machines of the killed gateway's experiment or download").isEmpty();

        // the gateway is usable: a new experiment runs to completion on new machines
        GatewayClient.Response again = post("/api/experiments", AFTER);
        assertThat(again.status()).as("%s", again.body()).isEqualTo(202);
        JsonNode next = awaitExperiment(again.body().path("id").asText(), Duration.ofMinutes(2),
                e -> !"running".equals(e.path("status").asText()));
        assertThat(next.path("status").asText()).as("%s", next).isEqualTo("completed");
        assertThat(next.path("progress").path("succeeded").asInt()).isEqualTo(1);
        // the same cell and seed as the crashed experiment's first run: the same figures
        JsonNode first = runsAfter.get(experimentId + "-c0-r1").path("result");
        assertThat(runs(next).get(0).path("result").path("simulatedSeconds").asDouble())
                .isEqualTo(first.path("simulatedSeconds").asDouble());

        System.out.printf("GatewayCrashIT: experiment %s killed with %d runs succeeded, %d running, %d pending (and download %s running);"
                        + " restart to UP %.2f s (%.2f s after the kill); after UP the runs' machines were gone in %.2f s, the download's in %.2f s (at the first look: %s);"
                        + " machines on the kernel before the kill %d, after %d%n",
                experimentId, completedBefore.size(), runningBefore.size(), pendingBefore.size(), downloadId,
                restart.toMillis() / 1000.0, (upAt - killedAt) / 1e9, runMachinesGone, downloadMachineGone, goneAtFirstLook,
                machinesBefore.size(), machinesAfter.size());
    }

    /**
     * A POST, again while the gateway answers 503: its first calls to git-http-server and tls-client (a
     * TLS handshake, cold JVMs) can time out on a loaded machine, and a 503 stores and starts nothing.
     */
    private GatewayClient.Response post(String path, String json) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        GatewayClient.Response r = gateway.post(path, json);
        while (r.status() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            r = gateway.post(path, json);
        }
        return r;
    }

    private JsonNode awaitExperiment(String id, Duration timeout, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode e = null;
        while (System.nanoTime() < deadline) {
            e = gateway.get("/api/experiments/" + id).body();
            if (done.test(e)) {
                return e;
            }
            if (!"running".equals(e.path("status").asText())) {
                throw new AssertionError("experiment " + id + " ended before the awaited state: " + e);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("experiment " + id + " not in the awaited state after " + timeout + ": " + e
                + "\n" + stack.tail(GATEWAY));
    }

    /** Every run of an experiment view, each with its cell's repo added. */
    private static List<JsonNode> runs(JsonNode experiment) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode cell : experiment.path("cells")) {
            for (JsonNode run : cell.path("runs")) {
                out.add(((tools.jackson.databind.node.ObjectNode) run.deepCopy()).put("repo", cell.path("repo").asText()));
            }
        }
        return out;
    }

    private static Map<String, JsonNode> byId(List<JsonNode> runs) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        runs.forEach(r -> m.put(r.path("id").asText(), r));
        return m;
    }

    private static List<String> idsWithStatus(Map<String, JsonNode> runs, String status) {
        return runs.values().stream().filter(r -> status.equals(r.path("status").asText())).map(r -> r.path("id").asText()).toList();
    }

    private static List<String> machineIds(JsonNode machines) {
        List<String> ids = new ArrayList<>();
        machines.forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    private Map<String, List<String>> csvByRunId(String experimentId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/experiments/" + experimentId
                + "/results.csv")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<List<String>> rows = parseCsv(r.body());
        assertThat(rows.get(0)).containsExactlyElementsOf(ExperimentIT.COLUMNS);
        Map<String, List<String>> byRun = new LinkedHashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).hasSize(ExperimentIT.COLUMNS.size());
            byRun.put(value(row, "run_id"), row);
        }
        return byRun;
    }

    private static String value(List<String> row, String column) {
        return row.get(ExperimentIT.COLUMNS.indexOf(column));
    }

    /** RFC 4180: error messages hold commas, so fields may be quoted. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
