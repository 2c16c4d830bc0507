package io.testbed.gateway.tlsclient;

import io.testbed.gateway.discovery.AddressResolver;
import io.testbed.gateway.fakes.FakeGitServer;
import io.testbed.gateway.fakes.FakeKernel;
import io.testbed.gateway.fakes.FakeTlsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: tls-client replicas discovered from a (fake) DNS name. Two fake tls-clients hand out ids the other does
 * not know, so a download followed on the wrong replica fails: every run and download must succeed, both replicas
 * must get downloads, each download's status must be read only where it was started, and a replica that left the
 * name gets no new download.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.tls-client.discovery-dns=tls-client-headless.testbed.svc.cluster.local",
        "testbed.tls-client.discovery-refresh=100ms",
        "testbed.experiments.parallel-runs=4",
        "testbed.experiments.poll-interval=20ms",
        "testbed.downloads.poll-interval=20ms"})
class TlsClientReplicasTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final AtomicReference<List<String>> ANSWER = new AtomicReference<>();
    static final FakeTlsClient ONE, TWO;
    static final FakeKernel KERNEL;
    static final FakeGitServer GIT;

    static {
        try {
            ONE = new FakeTlsClient();
            TWO = new FakeTlsClient();
            KERNEL = new FakeKernel();
            GIT = new FakeGitServer();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
        ONE.idPrefix = "one-";
        TWO.idPrefix = "two-";
        ANSWER.set(List.of(target(ONE), target(TWO)));
    }

    @TestConfiguration
    static class FakeDns {
        @Bean
        @Primary
        AddressResolver fakeDns() {
            return (name, port) -> {
                if (!name.equals("tls-client-headless.testbed.svc.cluster.local") || port != 8082) {
                    throw new UnknownHostException(name + ":" + port);
                }
                return ANSWER.get();
            };
        }
    }

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        registry.add("testbed.git.url", GIT::url);
        registry.add("testbed.pki.ca-file", () -> GIT.caFile().toString());
        // not used for downloads once discovery is on
        registry.add("testbed.tls-client.url", () -> "http://127.0.0.1:1");
        registry.add("testbed.kernels.default", KERNEL::target);
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:gateway-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @AfterAll
    static void stop() throws Exception {
        ONE.close();
        TWO.close();
        KERNEL.close();
        GIT.close();
    }

    @LocalServerPort
    int port;

    private static String target(FakeTlsClient t) {
        return URI.create(t.url()).getAuthority();
    }

    @Test
    void downloadsGoToEveryReplica_andAreFollowedOnTheirOwn_andALeavingReplicaGetsNoNewOne() throws Exception {
        HttpResponse<String> accepted = post("/api/experiments", "{\"repos\":[\"pack-4m\"],\"repetitions\":6}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode done = awaitEnded("/api/experiments/" + JSON.readTree(accepted.body()).path("id").asString());
        assertThat(done.path("progress").path("succeeded").asInt()).as(done.toString()).isEqualTo(6);
        List<String> ids = new ArrayList<>();
        done.path("cells").forEach(c -> c.path("runs").forEach(r -> r.path("result").path("downloads")
                .forEach(d -> ids.add(d.path("tlsClientId").asString()))));
        assertThat(ids).hasSize(6).allSatisfy(id -> assertThat(id).matches("(one-\\d+@" + target(ONE) + "|two-\\d+@" + target(TWO) + ")"));
        assertThat(ONE.started).isNotEmpty();
        assertThat(TWO.started).isNotEmpty();
        assertThat(ONE.started.size() + TWO.started.size()).isEqualTo(6);
        // each replica was asked only about its own downloads
        assertThat(ONE.statusReads.keySet()).allSatisfy(id -> assertThat(id).startsWith("one-"));
        assertThat(TWO.statusReads.keySet()).allSatisfy(id -> assertThat(id).startsWith("two-"));

        // a single download through the download API, followed by the poller on its replica
        HttpResponse<String> started = post("/api/downloads", "{\"repo\":\"pack-4m\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode download = awaitEnded("/api/downloads/" + JSON.readTree(started.body()).path("id").asString());
        assertThat(download.path("status").asString()).as(download.toString()).isEqualTo("succeeded");

        // ONE leaves the name: everything new goes to TWO
        ANSWER.set(List.of(target(TWO)));
        Thread.sleep(300);
        int oneBefore = ONE.started.size();
        JsonNode again = awaitEnded("/api/experiments/" + JSON.readTree(post("/api/experiments",
                "{\"repos\":[\"pack-4m\"],\"repetitions\":3}").body()).path("id").asString());
        assertThat(again.path("progress").path("succeeded").asInt()).isEqualTo(3);
        assertThat(ONE.started).hasSize(oneBefore);
    }

    private JsonNode awaitEnded(String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (!"running".equals(e.path("status").asString())) {
                return e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not end");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
