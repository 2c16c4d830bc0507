package io.testbed.gateway.run;

import io.testbed.gateway.fakes.FakeGitServer;
import io.testbed.gateway.fakes.FakeTlsClient;
import io.testbed.gateway.fakes.Fakes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
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
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's end is seen when tls-client answers the long poll for it, not at the next poll: with polls 5 s apart, a
 * download (polled first after 5 s, when the fake reports it running; it ends right after) and an experiment's run
 * (polled first at once) end long before a second poll could have seen them; the second status read comes from
 * the wake-up, not from the interval.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DisplayName("The end of a download or run, pushed by tls-client's long poll")
class EndWatchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration POLL = Duration.ofSeconds(5);

    static final Fakes.Own FAKES = Fakes.own(FakeGitServer.REPOS_WITH_SIZES, null);
    static final FakeTlsClient TLS_CLIENT = FAKES.tlsClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        FAKES.register(registry);
        registry.add("testbed.downloads.poll-interval", () -> POLL.toMillis() + "ms");
        registry.add("testbed.experiments.poll-interval", () -> POLL.toMillis() + "ms");
    }

    @AfterAll
    static void closeFakes() throws Exception {
        FAKES.close();
    }

    @Test
    @DisplayName("a download ends at its first poll's wake-up, not at the second poll")
    void download_endSeenWithoutASecondInterval() throws Exception {
        Set<String> before = new HashSet<>(TLS_CLIENT.statusReads.keySet());
        long t0 = System.nanoTime();
        HttpResponse<String> started = post("/api/downloads", "{\"repo\":\"pack-4m\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode d = awaitEnded("/api/downloads/" + JSON.readTree(started.body()).path("id").asString(), POLL.multipliedBy(3));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(d.path("status").asString()).as(d.toString()).isEqualTo("succeeded");

        Set<String> ids = new HashSet<>(TLS_CLIENT.statusReads.keySet());
        ids.removeAll(before);
        assertThat(ids).hasSize(1);
        String id = ids.iterator().next();
        assertThat(TLS_CLIENT.endWaits.get(id)).as("long polls for %s", id).isNotNull();
        assertThat(TLS_CLIENT.statusReads.get(id).get()).as("status reads: the first poll's and the wake-up's").isEqualTo(2);
        // the first poll comes after one interval; a second poll would come after two
        assertThat(seconds).as("s from the start to the end seen").isGreaterThanOrEqualTo(POLL.toSeconds() * 0.9)
                .isLessThan(POLL.toSeconds() * 1.8);
    }

    @Test
    @DisplayName("an experiment's run ends at the wake-up after its first poll")
    void experimentRun_endSeenWithoutASecondInterval() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> accepted = post("/api/experiments", "{\"repos\":[\"pack-4m\"],\"repetitions\":1}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode done = awaitEnded("/api/experiments/" + JSON.readTree(accepted.body()).path("id").asString(), POLL.multipliedBy(3));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(done.path("progress").path("succeeded").asInt()).as(done.toString()).isEqualTo(1);
        assertThat(seconds).as("s from the submission to the end seen (a second poll would come after %s)", POLL)
                .isLessThan(POLL.toSeconds() * 0.8);
    }

    private JsonNode awaitEnded(String path, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode n = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String status = n.path("status").asString();
            if (!"running".equals(status) && !"pending".equals(status)) {
                return n;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(path + " still running after " + within);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
