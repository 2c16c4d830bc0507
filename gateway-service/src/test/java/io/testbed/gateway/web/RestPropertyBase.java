package io.testbed.gateway.web;

import io.testbed.gateway.fakes.Fakes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 12: property-style tests of every numeric field of the gateway's REST bodies, from one
 * seeded generator ({@link #SEED}; a failure names the try and the body, so it replays). Each try puts
 * boundary, negative, huge, fractional and random in-range values into one to three fields of an
 * otherwise valid body and asserts: an answer within {@link #BOUND}, never a 5xx (503/other 5xx would mean
 * the gateway broke: the fakes are up), a stored row iff 202 (nothing half-stored after a refusal), and
 * at the end the service still healthy and a normal request still accepted. One subclass per API (they
 * share this Spring context).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.experiments.max-runs=20", "testbed.downloads.max-running=1000", "testbed.retention.sweep-interval=0"})
abstract class RestPropertyBase {

    static final long SEED = 20261206L;
    static final Duration BOUND = Duration.ofSeconds(5);
    static final int TRIES = 300;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Raw JSON number tokens at the edges: each is written into the body as is. */
    static final List<String> EDGES = List.of("0", "-1", "1", "-0", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999", "1.5", "-0.5",
            "1e308", "-1e308", "1e-300", "10000", "10001", "100000", "100001", "3600000", "3600001", "10000000", "10000001",
            "16", "16.0001", "0.1", "0.09999", "24", "25", "4", "5", "100", "101", "20", "21");

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        Fakes.register(registry);
    }

    /** Sets one to three of {@code v}'s first {@code n} entries to random numbers. */
    static void mutate(Random r, String[] v, int n) {
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            v[r.nextInt(n)] = number(r);
        }
    }

    static String number(Random r) {
        return switch (r.nextInt(4)) {
            case 0, 1 -> EDGES.get(r.nextInt(EDGES.size()));
            case 2 -> Integer.toString(r.nextInt(200));
            default -> Long.toString(r.nextBoolean() ? r.nextLong() : r.nextInt());
        };
    }

    static String repeat(String item, int times) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            items.add(item);
        }
        return "[" + String.join(",", items) + "]";
    }

    /** The tries; returns how many were accepted. */
    int run(Random random, String path, String table, Function<Random, String> body) throws Exception {
        int accepted = 0;
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        long slowest = 0;
        for (int i = 0; i < TRIES; i++) {
            String json = body.apply(random);
            long before = rows(table);
            long start = System.nanoTime();
            HttpResponse<String> response = post(path, json);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String what = "try " + i + " (seed " + SEED + "): " + json + " -> " + response.statusCode() + " " + response.body();
            assertThat(took).as(what).isLessThan(BOUND);
            statuses.merge(response.statusCode(), 1, Integer::sum);
            slowest = Math.max(slowest, took.toMillis());
            assertThat(response.statusCode()).as(what).isBetween(200, 499);
            if (response.statusCode() == 202) {
                accepted++;
                assertThat(rows(table)).as(what).isEqualTo(before + 1);
            } else {
                assertThat(response.statusCode()).as(what).isIn(400, 413, 429);
                assertThat(response.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                        t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(rows(table)).as(what).isEqualTo(before);
            }
        }
        System.out.printf("%s: %d tries on %s, statuses %s, slowest answer %d ms%n", getClass().getSimpleName(), TRIES, path,
                statuses, slowest);
        return accepted;
    }

    void assertStillServes(String path, String normal, String table) throws Exception {
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        long before = rows(table);
        HttpResponse<String> response = post(path, normal);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(rows(table)).isEqualTo(before + 1);
        assertThat(JSON.readTree(response.body()).path("id").asString()).isNotBlank();
    }

    void awaitNoneRunning() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (jdbc.sql("SELECT COUNT(*) FROM experiments WHERE status = 'running'").query(Long.class).single() > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    long rows(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(BOUND.multipliedBy(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
