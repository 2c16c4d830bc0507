package io.testbed.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's package) scraping a {@link TestbedStack}: its configuration is
 * {@code prometheus/prometheus-local.yml} with the stack's ports and a 1 s scrape interval, its data
 * under {@code target/}, its web API on a free loopback port.
 */
final class PrometheusServer implements AutoCloseable {
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private final Process process;
    private final Path log;

    private PrometheusServer(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** The local configuration file with the stack's ports: the same jobs, paths and targets as {@code make run}. */
    static String config(Path root, TestbedStack stack) throws IOException {
        String local = Files.readString(root.resolve("prometheus/prometheus-local.yml"));
        String config = local
                .replace("127.0.0.1:8080", "127.0.0.1:" + stack.gatewayPort)
                .replace("127.0.0.1:8081", "127.0.0.1:" + stack.kernelHttpPort)
                .replace("127.0.0.1:8082", "127.0.0.1:" + stack.tlsClientPort)
                .replace("127.0.0.1:8083", "127.0.0.1:" + stack.gitManagementPort)
                .replaceAll("(scrape_interval|evaluation_interval): 5s", "$1: " + SCRAPE_INTERVAL.toSeconds() + "s");
        if (config.equals(local)) {
            throw new IllegalStateException("prometheus-local.yml no longer names the default ports 8080..8083");
        }
        return config;
    }

    static PrometheusServer start(Path binary, Path root, TestbedStack stack, Path workDir) throws Exception {
        Files.createDirectories(workDir);
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, config(root, stack));
        Path data = workDir.resolve("data");
        deleteRecursively(data);
        Path log = workDir.resolve("prometheus.log");
        int port = TestbedStack.freePort();
        Process p = new ProcessBuilder(List.of(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PrometheusServer(port, p, log).awaitReady(Duration.ofSeconds(60));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private PrometheusServer awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready within " + timeout + ":\n" + Files.readString(log));
    }

    /** {@code GET /api/v1/query}: the {@code data} node of a successful answer; an error answer throws. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** The values of a label, over series matching {@code match} (null: all series). */
    JsonNode labelValues(String label, String match) throws IOException, InterruptedException {
        return api("/api/v1/label/" + label + "/values"
                + (match == null ? "" : "?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8)));
    }

    /** The sum of an instant query's values, or NaN when it returns nothing. */
    double scalar(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql).path("result");
        double sum = result.isEmpty() ? Double.NaN : 0;
        for (JsonNode r : result) {
            sum += Double.parseDouble(r.path("value").get(1).asText());
        }
        return sum;
    }

    private JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError(pathAndQuery + " -> " + r.statusCode() + " " + r.body());
        }
        return body.path("data");
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
