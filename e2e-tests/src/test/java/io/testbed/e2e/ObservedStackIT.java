package io.testbed.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The observability contract on a running stack: the four services on free ports (one
 * {@link TestbedStack} for every group here), a real Prometheus scraping them every second with the
 * local configuration, one download through the gateway and a one-run experiment with the modelled
 * client CPU. Then every Grafana panel query must return data, the time-split panels must show what the
 * gateway's API says of those downloads, and {@code docs/METRICS.md} must list exactly the custom metrics
 * the services expose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("An observed stack, after one download")
class ObservedStackIT {
    private final Path root = Path.of(System.getProperty("testbed.root", "..")).toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestbedStack stack;
    private PrometheusServer prometheus;
    private JsonNode download;
    private JsonNode experiment;

    @BeforeAll
    void startStackPrometheusAndDownload() throws Exception {
        Path binary = Tools.require("prometheus", "the dashboards' queries and the metrics list");
        stack = new TestbedStack("observed").start();
        prometheus = PrometheusServer.start(binary, root, stack, root.resolve("e2e-tests/target/e2e-prometheus"));
        awaitScrapedBeforeTheDownload();
        download = new GatewayClient(stack.gatewayUrl()).download(
                "{\"repo\":\"pack-256k\",\"client\":\"bc\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":1},\"clock\":\"virtual\",\"seed\":1}",
                Duration.ofMinutes(3));
        assertThat(download.path("status").asText()).as("the download: %s", download).isEqualTo("succeeded");
        experiment = runExperiment(new GatewayClient(stack.gatewayUrl()), "{\"name\":\"time split\",\"repos\":[\"pack-256k\"],"
                + "\"clients\":[\"bc\"],\"policies\":[{\"type\":\"sleep\",\"sleepMs\":1}],\"machines\":[{\"label\":\"akuma\","
                + "\"profile\":\"akuma-2026-01-31\"}],\"downloads\":[1],\"sessions\":[0],\"repetitions\":1,\"seed\":1,\"cpu\":\"modelled\"}");
        awaitScrapedAfterTheDownload();
    }

    /** Starts an experiment and waits until it completed; its view. */
    private static JsonNode runExperiment(GatewayClient gateway, String matrix) throws Exception {
        GatewayClient.Response accepted = gateway.post("/api/experiments", matrix);
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        String id = accepted.body().path("id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = gateway.get("/api/experiments/" + id).body();
            if (!"running".equals(e.path("status").asText())) {
                assertThat(e.path("status").asText()).as("%s", e).isEqualTo("completed");
                return e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("experiment " + id + " still running after 3 minutes");
    }

    /**
     * Until Prometheus has scraped the four services once, the gateway's time split at zero included: a panel's
     * increase over a window needs a sample from before the download (a download that ended before the first
     * scrape is in the first sample already, and increase() sees nothing: 0/0).
     */
    private void awaitScrapedBeforeTheDownload() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            double up = prometheus.scalar("sum(up)");
            double split = prometheus.scalar("count(gateway_download_time_seconds_count)");
            if (up >= 4 && split >= 1) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Prometheus did not scrape the four services within 60 s (up " + up
                        + ", gateway time split series " + split + "):\n" + prometheus.logTail());
            }
            Thread.sleep(250);
        }
    }

    /** Until Prometheus holds the download's counters, then a few more scrapes so rate windows have two samples. */
    private void awaitScrapedAfterTheDownload() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            double client = prometheus.scalar("sum(tls_client_downloads_total{outcome=\"succeeded\"})");
            double gateway = prometheus.scalar("sum(gateway_downloads_total{outcome=\"succeeded\"})");
            double experiments = prometheus.scalar("sum(gateway_download_time_seconds_count{source=\"experiment\", component=\"kernel\"})");
            if (client >= 2 && gateway >= 1 && experiments >= 1) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Prometheus did not scrape the download's counters within 60 s (client "
                        + client + ", gateway " + gateway + "):\n" + prometheus.logTail());
            }
            Thread.sleep(250);
        }
        Thread.sleep(PrometheusServer.SCRAPE_INTERVAL.multipliedBy(3).toMillis() + 500);
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Nested
    @DisplayName("Prometheus")
    class Scraping {
        @Test
        @DisplayName("scrapes the four services with the local configuration's jobs")
        void everyJobIsUp() throws Exception {
            Map<String, String> up = new TreeMap<>();
            for (JsonNode r : prometheus.query("up").path("result")) {
                up.put(r.path("metric").path("job").asText(), r.path("value").get(1).asText());
            }
            assertThat(up).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "gateway-service", "1", "kernel-sim-service", "1", "tls-client-service", "1", "git-http-server", "1"));
        }
    }

    @Nested
    @DisplayName("Every Grafana panel")
    class DashboardQueries {
        @Test
        @DisplayName("returns data with every template variable set to All")
        void everyPanelQuery_withAllValues_returnsData() throws Exception {
            List<Dashboards.Dashboard> dashboards = Dashboards.load(root);
            assertThat(dashboards).extracting(Dashboards.Dashboard::uid).isNotEmpty();
            Map<String, Map<String, String>> values = new LinkedHashMap<>();
            for (Dashboards.Dashboard d : dashboards) {
                Map<String, String> all = new TreeMap<>();
                d.variables().forEach(v -> all.put(v.name(), ".*"));
                values.put(d.uid(), all);
            }
            assertEveryQueryReturnsData(dashboards, values);
        }

        @Test
        @DisplayName("returns data with every template variable set to its first value, which its own query finds")
        void everyPanelQuery_withTheFirstValueOfEachVariable_returnsData() throws Exception {
            List<Dashboards.Dashboard> dashboards = Dashboards.load(root);
            Map<String, Map<String, String>> values = new LinkedHashMap<>();
            List<String> failures = new ArrayList<>();
            for (Dashboards.Dashboard d : dashboards) {
                Map<String, String> first = new TreeMap<>();
                for (Dashboards.Variable v : d.variables()) {
                    if (!"query".equals(v.type()) || v.label() == null) {
                        failures.add(d.file().getFileName() + " variable " + v.name() + ": only label_values(metric, label) queries are checked, got " + v.query());
                        continue;
                    }
                    JsonNode found = prometheus.labelValues(v.label(), v.metric());
                    if (found.isEmpty()) {
                        failures.add(d.file().getFileName() + " variable " + v.name() + ": " + v.query() + " finds no value");
                    } else {
                        first.put(v.name(), found.get(0).asText());
                    }
                }
                values.put(d.uid(), first);
            }
            assertThat(failures).as("template variables").isEmpty();
            assertEveryQueryReturnsData(dashboards, values);
        }

        private void assertEveryQueryReturnsData(List<Dashboards.Dashboard> dashboards,
                                                 Map<String, Map<String, String>> values) throws Exception {
            List<String> empty = new ArrayList<>();
            List<String> onlyNaN = new ArrayList<>();
            int count = 0;
            for (Dashboards.Dashboard d : dashboards) {
                for (Dashboards.Query q : d.queries()) {
                    String promql = q.substituted(values.get(d.uid()));
                    JsonNode result = prometheus.query(promql).path("result");
                    count++;
                    if (result.isEmpty()) {
                        empty.add(q + ": " + promql);
                    } else if (allNaN(result)) {
                        onlyNaN.add(q.toString());
                    }
                }
            }
            if (!onlyNaN.isEmpty()) {
                // data, but nothing to plot yet (no echo samples, or no activity in the rate window): reported only
                System.out.println("Panel queries whose every value is NaN right after one download:\n  " + String.join("\n  ", onlyNaN));
            }
            assertThat(count).as("panel queries").isGreaterThan(20);
            assertThat(empty).as("panel queries that returned no data (of %d)", count).isEmpty();
        }

        private static boolean allNaN(JsonNode result) {
            for (JsonNode r : result) {
                if (!"NaN".equals(r.path("value").get(1).asText())) {
                    return false;
                }
            }
            return true;
        }
    }

    @Nested
    @DisplayName("The time-split panels")
    class TimeSplitPanels {
        private static final String MEAN = "Where a download's time went: mean per finished download";
        private static final String SHARE = "Where the time went: share, downloads that ended in the last 5 minutes";

        /** The named panel's query on the Experiments dashboard, with {@code source} set; by component. */
        private Map<String, Double> panel(String title, String source) throws Exception {
            Dashboards.Dashboard experiments = Dashboards.load(root).stream().filter(d -> d.uid().equals("testbed-experiments"))
                    .findFirst().orElseThrow();
            Dashboards.Query q = experiments.queries().stream().filter(x -> x.panel().equals(title)).findFirst()
                    .orElseThrow(() -> new AssertionError("no panel '" + title + "' on the Experiments dashboard"));
            Map<String, Double> out = new TreeMap<>();
            for (JsonNode r : prometheus.query(q.substituted(Map.of("source", source))).path("result")) {
                out.put(r.path("metric").path("component").asText(), Double.parseDouble(r.path("value").get(1).asText()));
            }
            return out;
        }

        /** The API's time split by the panel's component names (TimeSplit.Part's). */
        private Map<String, Double> api(JsonNode time) {
            Map<String, Double> m = new TreeMap<>();
            m.put("client_cpu_tls", time.path("clientCpuTls").asDouble());
            m.put("client_cpu_pack", time.path("clientCpuPack").asDouble());
            m.put("client_cpu_other", Math.max(0, time.path("clientCpuOther").asDouble()));
            m.put("file_io", time.path("fileIo").asDouble());
            m.put("kernel", time.path("kernel").asDouble());
            m.put("sleeping", time.path("sleeping").asDouble());
            m.put("ready", time.path("ready").asDouble());
            m.put("network_spin", time.path("networkSpin").asDouble());
            m.put("network_ready", time.path("networkReady").asDouble());
            m.put("network_blocked", time.path("networkBlocked").asDouble());
            m.put("off_cpu", time.path("offCpu").asDouble());
            return m;
        }

        private void assertSame(Map<String, Double> panel, Map<String, Double> api, double total) {
            assertThat(panel.keySet()).as("components").isEqualTo(api.keySet());
            api.forEach((component, seconds) -> assertThat(panel.get(component)).as(component).isCloseTo(seconds, within(1e-9)));
            assertThat(panel.values().stream().mapToDouble(Double::doubleValue).sum()).as("the stack's height")
                    .isCloseTo(total, within(1e-6));
        }

        @Test
        @DisplayName("show the API download's split, component by component, stacking up to its thread's life")
        void meanPanel_forTheApiDownload_isItsSplit() throws Exception {
            JsonNode time = download.path("time");
            assertThat(time.isObject()).as("the download's time split: %s", download).isTrue();
            double total = time.path("total").asDouble();
            assertThat(total).isGreaterThanOrEqualTo(download.path("simulatedSeconds").asDouble());
            Map<String, Double> panel = panel(MEAN, "download");
            System.out.println("API download (client CPU zero): " + panel);
            assertSame(panel, api(time), total);
            assertThat(panel.get("sleeping") + panel.get("network_spin") + panel.get("network_ready")).as("waiting").isPositive();
        }

        @Test
        @DisplayName("show the experiment's modelled client CPU as TLS and pack work, as its results say")
        void meanPanel_forTheExperiment_showsTlsAndPackCpu() throws Exception {
            JsonNode time = experiment.path("cells").path(0).path("runs").path(0).path("result").path("downloads").path(0).path("time");
            assertThat(time.isObject()).as("the run's download split: %s", experiment).isTrue();
            Map<String, Double> panel = panel(MEAN, "experiment");
            System.out.println("experiment download (modelled CPU): " + panel);
            assertSame(panel, api(time), time.path("total").asDouble());
            assertThat(panel.get("client_cpu_tls")).as("TLS CPU").isPositive();
            assertThat(panel.get("client_cpu_pack")).as("pack CPU").isPositive();
            assertThat(panel.get("client_cpu_tls") + panel.get("client_cpu_pack") + panel.get("client_cpu_other"))
                    .isCloseTo(time.path("clientCpu").asDouble(), within(1e-9));
        }

        @Test
        @DisplayName("share the recent downloads' time out to 100%")
        void sharePanel_addsUpToOne() throws Exception {
            Map<String, Double> shares = panel(SHARE, ".*");
            System.out.println("shares, last 5 minutes: " + shares);
            assertThat(shares).containsKeys("client_cpu_tls", "client_cpu_pack", "kernel", "sleeping");
            assertThat(shares.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
            assertThat(shares.get("client_cpu_tls")).isPositive();
        }
    }

    @Nested
    @DisplayName("docs/METRICS.md")
    class MetricsList {
        @Test
        @DisplayName("lists exactly the custom metrics the four services expose, each under its service")
        void documentedMetrics_areExactlyTheExposedCustomMetrics() throws Exception {
            List<MetricsCatalogue.Entry> entries = MetricsCatalogue.read(root.resolve("docs/METRICS.md"));
            Map<String, Integer> ports = Map.of("gateway-service", stack.gatewayPort, "kernel-sim-service", stack.kernelHttpPort,
                    "tls-client-service", stack.tlsClientPort, "git-http-server", stack.gitManagementPort);
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, Integer> service : new TreeMap<>(ports).entrySet()) {
                Set<String> exposed = MetricsCatalogue.customFamilies(scrape(service.getValue()));
                Set<String> documented = new TreeSet<>();
                Set<String> expected = new TreeSet<>();
                for (MetricsCatalogue.Entry e : entries) {
                    if (e.service().equals(service.getKey())) {
                        documented.addAll(e.prometheus());
                        if (e.expectedAfterOneDownload()) {
                            expected.addAll(e.prometheus());
                        }
                    }
                }
                Set<String> undocumented = new TreeSet<>(exposed);
                undocumented.removeAll(documented);
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(exposed);
                if (!undocumented.isEmpty()) {
                    problems.add(service.getKey() + " exposes metrics docs/METRICS.md does not list under it: " + undocumented);
                }
                if (!missing.isEmpty()) {
                    problems.add(service.getKey() + ": docs/METRICS.md lists metrics it does not expose after a download"
                            + " (mark them `event` if only a rarer event creates them): " + missing);
                }
            }
            assertThat(problems).isEmpty();
        }

        @Test
        @DisplayName("names each meter consistently: Micrometer name, Prometheus prefix, the custom-prefix rule, the appears column")
        void everyEntry_isWellFormed() throws Exception {
            List<MetricsCatalogue.Entry> entries = MetricsCatalogue.read(root.resolve("docs/METRICS.md"));
            assertThat(entries).hasSizeGreaterThan(20);
            Set<String> seen = new TreeSet<>();
            for (MetricsCatalogue.Entry e : entries) {
                assertThat(e.service()).as("%s", e).isIn("kernel-sim-service", "tls-client-service", "gateway-service", "git-http-server");
                assertThat(e.appears()).as("%s", e).isIn("start", "use", "event");
                assertThat(e.prometheus()).as("%s", e).isNotEmpty();
                for (String name : e.prometheus()) {
                    assertThat(name).as("%s", e).matches(MetricsCatalogue.CUSTOM).startsWith(e.micrometer().replace('.', '_'));
                    // a name may appear once per service (gRPC client metrics are in tls-client and gateway)
                    assertThat(seen.add(e.service() + " " + name)).as("%s listed twice for %s", name, e.service()).isTrue();
                }
            }
        }
    }

    private String scrape(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
