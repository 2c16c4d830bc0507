package io.testbed.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reduced reproduction of the seed's claims (pack-256k, one repetition) through the gateway with the
 * real services gives a verdict for every claim, a report and charts; the results page then loads in
 * headless Chromium with the verdict table and the charts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReproductionIT {

    private static final Pattern VERDICT = Pattern.compile("holds|does not hold|holds only under.+|not measurable");
    /** Claims 0 (the seed's diagnosis) to 8. */
    private static final int CLAIMS = 9;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestbedStack stack;
    private GatewayClient gateway;
    private String reproduction;

    @BeforeAll
    void startStack() throws Exception {
        stack = new TestbedStack("reproduction").start();
        gateway = new GatewayClient(stack.gatewayUrl());
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void reducedReproduction_givesAVerdictForEveryClaim_withItsReportAndCharts() throws Exception {
        long started = System.nanoTime();
        GatewayClient.Response accepted = gateway.post("/api/reproductions",
                "{\"repo\":\"pack-256k\",\"loadRepo\":\"pack-256k\",\"repetitions\":1,\"seed\":1,\"sensitivity\":\"reduced\"}");
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        reproduction = accepted.body().path("id").asText();
        JsonNode view = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (System.nanoTime() < deadline) {
            view = gateway.get("/api/reproductions/" + reproduction).body();
            if (!"running".equals(view.path("status").asText())) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(view.path("status").asText()).as("%s\n%s", view, stack.tail("gateway-service")).isEqualTo("completed");
        System.out.printf("reduced reproduction: %.0f s of wall time%n", (System.nanoTime() - started) / 1e9);

        JsonNode verdicts = view.path("verdicts");
        assertThat(verdicts).hasSize(CLAIMS);
        for (int i = 0; i < CLAIMS; i++) {
            JsonNode v = verdicts.get(i);
            assertThat(v.path("number").asInt()).isEqualTo(i);
            assertThat(v.path("verdict").asText()).as("claim %d: %s", i, v).matches(VERDICT);
            assertThat(v.path("finding").asText()).isNotBlank();
            System.out.printf("claim %d: %s: %s%n", i, v.path("verdict").asText(), v.path("finding").asText());
        }

        JsonNode report = JsonMapper.builder().build().readTree(text("/api/reproductions/" + reproduction + "/report.json", "application/json"));
        assertThat(report.path("claims")).hasSize(CLAIMS);
        assertThat(report.path("sensitivity").size()).as("sensitivity variants").isPositive();
        assertThat(report.path("configurations").findValues("time")).as("time splits").anyMatch(t -> t.path("total").asDouble() > 0);
        for (JsonNode claim : report.path("claims")) {
            assertThat(claim.path("robustness").asText()).matches("robust|fragile");
            assertThat(claim.path("seedWords").asText()).isNotBlank();
            assertThat(claim.path("conditions").asText()).isNotBlank();
            assertThat(claim.path("rule").asText()).isNotBlank();
            assertThat(claim.path("figures").size()).isPositive();
        }
        String md = text("/api/reproductions/" + reproduction + "/report.md", "text/markdown");
        assertThat(md).contains("## What made the seed's download slow").contains("## Verdicts").contains("| 8 |")
                .contains("](charts/breakdown.svg)").contains("## Sensitivity");
        assertThat(view.path("links").path("charts")).hasSize(4);
        for (JsonNode chart : view.path("links").path("charts")) {
            assertThat(text(chart.asText(), "image/svg+xml")).startsWith("<svg").contains("</svg>");
        }
    }

    @Test
    @Order(2)
    void resultsPage_inHeadlessChromium_showsTheVerdictsTheBreakdownAndTheSensitivityTable() throws Exception {
        Path chromium = Tools.require("chromium", "the results page in a real browser");
        String page = stack.gatewayUrl() + "/results";
        String dom = dumpDom(chromium, page);

        assertThat(dom).contains("<table id=\"verdicts\">");
        String table = dom.substring(dom.indexOf("<table id=\"verdicts\">"), dom.indexOf("</table>", dom.indexOf("<table id=\"verdicts\">")));
        assertThat(table.split("<tr>", -1).length - 2).as("rows of the verdict table").isEqualTo(CLAIMS);
        assertThat(table).containsPattern("class=\"(holds|not|partly)\"").containsPattern("class=\"robustness\">(robust|fragile)");

        // where the time went: the stacked bar chart and its table, before the verdicts
        assertThat(dom).contains("<section id=\"breakdown\">");
        String breakdown = dom.substring(dom.indexOf("<section id=\"breakdown\">"), dom.indexOf("</section>", dom.indexOf("<section id=\"breakdown\">")));
        assertThat(dom.indexOf("<section id=\"breakdown\">")).isLessThan(dom.indexOf("<table id=\"verdicts\">"));
        assertThat(breakdown).containsPattern("<img src=\"/api/reproductions/[^\"]+/charts/breakdown\\.svg\"").contains("<table id=\"breakdown-table\">");
        assertThat(breakdown.split("<tr>", -1).length - 2).as("rows of the breakdown table").isPositive();

        // the sensitivity table: a row per variant, a column per claim
        assertThat(dom).contains("<table id=\"sensitivity\">");
        String sensitivity = dom.substring(dom.indexOf("<table id=\"sensitivity\">"), dom.indexOf("</table>", dom.indexOf("<table id=\"sensitivity\">")));
        assertThat(sensitivity).contains("<th>claim 0</th>").contains("<th>claim 8</th>").contains("<td>main run</td>");
        assertThat(sensitivity.split("<tr>", -1).length - 3).as("variant rows of the sensitivity table").isPositive();

        Matcher img = Pattern.compile("<img src=\"(/api/reproductions/[^\"]+/charts/[a-z-]+\\.svg)\"").matcher(dom);
        List<String> charts = new ArrayList<>();
        while (img.find()) {
            charts.add(img.group(1));
        }
        assertThat(charts).hasSize(4);
        if (reproduction != null) {
            assertThat(charts).allMatch(c -> c.startsWith("/api/reproductions/" + reproduction + "/"));
        }
        for (String chart : charts) {
            assertThat(text(chart, "image/svg+xml")).startsWith("<svg");
        }
        assertThat(dom).contains("id=\"configurations\"").contains("id=\"experiment-list\"");
    }

    private String dumpDom(Path chromium, String url) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> cmd = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium ended").isTrue();
        assertThat(p.exitValue()).as("chromium's exit code").isZero();
        String dom = new String(out, StandardCharsets.UTF_8);
        assertThat(dom).as("the DOM chromium dumped").contains("TLS kernel testbed: results");
        return dom;
    }

    private String text(String path, String contentType) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(contentType);
        return r.body();
    }
}
