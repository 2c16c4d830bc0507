package io.testbed.gateway.kernel;

import io.testbed.gateway.discovery.AddressResolver;
import io.testbed.gateway.fakes.FakeGitServer;
import io.testbed.gateway.fakes.FakeKernel;
import io.testbed.gateway.fakes.FakeTlsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: kernels discovered from a (fake) DNS name, appearing and disappearing in the middle of an experiment.
 *
 * <p>Three fake kernels over real gRPC. At the start the name resolves to A (1 processor) and B (3 processors), and
 * the experiment's first four runs are spread by free capacity: 1 on A, 3 on B (round robin would give 2 and 2).
 * With every download held running, A leaves the name (a terminating pod: its run must finish there, and it gets
 * nothing new), B stops answering (it stays in the name: only its health says it is dead) and C (4 processors)
 * appears. Then: no run is lost (all twelve succeed; B's three start again on C), none is sent to B once it failed
 * (B receives no Create after it went down), none to A after it left, and A is forgotten once its run ended.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.kernel-discovery.dns=kernel-sim-headless.testbed.svc.cluster.local",
        "testbed.kernel-discovery.refresh=100ms",
        "testbed.kernel-discovery.probe-deadline=1s",
        "testbed.kernel-discovery.wait-for-kernel=20s",
        "testbed.experiments.parallel-runs=4",
        "testbed.experiments.poll-interval=20ms"})
class KernelDiscoveryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String DNS_NAME = "kernel-sim-headless.testbed.svc.cluster.local";
    /** What the fake DNS answers now; null: the name does not resolve. */
    static final AtomicReference<List<String>> ANSWER = new AtomicReference<>(List.of());
    static final List<String> ASKED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static final FakeKernel A, B, C;
    static final FakeTlsClient TLS;
    static final FakeGitServer GIT;

    static {
        try {
            A = new FakeKernel();
            B = new FakeKernel();
            C = new FakeKernel();
            TLS = new FakeTlsClient();
            GIT = new FakeGitServer();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
        A.processors = 1;
        B.processors = 3;
        C.processors = 4;
        ANSWER.set(List.of(A.target(), B.target()));
    }

    @TestConfiguration
    static class FakeDns {
        @Bean
        @Primary
        AddressResolver fakeDns() {
            return (name, port) -> {
                ASKED.add(name + ":" + port);
                List<String> answer = ANSWER.get();
                if (answer == null) {
                    throw new UnknownHostException(name);
                }
                return answer.stream().sorted().toList();
            };
        }
    }

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        registry.add("testbed.git.url", GIT::url);
        registry.add("testbed.pki.ca-file", () -> GIT.caFile().toString());
        registry.add("testbed.tls-client.url", TLS::url);
        // a static kernel that does not exist: with discovery on it must not be used
        registry.add("testbed.kernels.default", () -> "127.0.0.1:1");
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:gateway-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @AfterAll
    static void stop() throws Exception {
        A.close();
        B.close();
        C.close();
        TLS.close();
        GIT.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KernelDirectory directory;

    @Test
    void kernelsComeAndGoMidExperiment_noRunIsLost_andNoneGoesToADeadOrLeavingKernel() throws Exception {
        await("A and B found and healthy", () -> healthy().containsAll(List.of(A.target(), B.target())));
        assertThat(directory.members()).extracting(KernelDirectory.Member::name).containsExactlyInAnyOrder(A.target(), B.target());
        assertThat(ASKED).contains(DNS_NAME + ":50051");

        TLS.hold = true;
        // 2 policies x 2 machines x 3 repetitions = 12 runs, 4 at a time
        HttpResponse<String> accepted = post("{\"name\":\"churn\",\"repos\":[\"pack-4m\"],\"policies\":[{\"type\":\"sleep\",\"sleepMs\":10},"
                + "{\"type\":\"sleep\",\"sleepMs\":1}],\"machines\":[{\"profile\":\"akuma-2026-01-31\"},{\"label\":\"ratio 2\","
                + "\"overrides\":{\"sched.network_thread_ratio\":\"2\"}}],\"repetitions\":3,\"seed\":7}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).path("id").asString();

        await("four runs holding machines", () -> runningMachines(A) + runningMachines(B) == 4);
        // by free capacity: A has 1 processor, B 3
        assertThat(runningMachines(A)).isEqualTo(1);
        assertThat(runningMachines(B)).isEqualTo(3);

        // A leaves the name (a terminating pod) and C appears; then B stops answering, staying in the name
        int aCreates = A.createCalls.get();
        ANSWER.set(List.of(B.target(), C.target()));
        await("C found, A leaving", () -> healthy().contains(C.target())
                && directory.members().stream().anyMatch(m -> m.name().equals(A.target()) && m.leaving()));
        B.down = true;
        int bCreatesWhenDown = B.createCalls.get();
        await("B failing", () -> directory.members().stream().anyMatch(m -> m.name().equals(B.target()) && !m.healthy()));
        // B's three held runs found it dead and started again on C; A's run is still on A
        await("B's runs moved to C", () -> runningMachines(C) == 3);
        assertThat(runningMachines(A)).isEqualTo(1);

        TLS.hold = false;
        JsonNode done = awaitCompleted(id);
        assertThat(done.path("status").asString()).isEqualTo("completed");
        assertThat(done.path("progress").path("succeeded").asInt()).as(done.toString()).isEqualTo(12);
        List<String> kernels = new ArrayList<>();
        done.path("cells").forEach(c -> c.path("runs").forEach(r -> kernels.add(r.path("kernel").asString())));
        Map<String, Long> perKernel = kernels.stream().collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        // A kept its one run to the end, C ran everything else; nothing ended on B
        assertThat(perKernel).containsOnly(Map.entry(A.target(), 1L), Map.entry(C.target(), 11L));
        // none sent to a dead or leaving kernel: no Create reached B after it went down, nor A after it left
        assertThat(B.createCalls.get()).isEqualTo(bCreatesWhenDown);
        assertThat(A.createCalls.get()).isEqualTo(aCreates);
        // every machine of A and C deleted again; A forgotten once its run ended
        assertThat(A.machines.keySet()).containsOnly("default");
        assertThat(C.machines.keySet()).containsOnly("default");
        await("A forgotten", () -> directory.members().stream().noneMatch(m -> m.name().equals(A.target())));

        // B answers again: healthy, and it gets runs again
        B.down = false;
        await("B healthy again", () -> healthy().contains(B.target()));
        int bBefore = B.createCalls.get();
        String again = JSON.readTree(post("{\"repos\":[\"pack-4m\"],\"repetitions\":4}").body()).path("id").asString();
        assertThat(awaitCompleted(again).path("progress").path("succeeded").asInt()).isEqualTo(4);
        assertThat(B.createCalls.get()).isGreaterThan(bBefore);
    }

    @Test
    void aNameThatResolvesToNothing_isA503NamingIt_andNothingIsStored() throws Exception {
        List<String> before = ANSWER.getAndSet(null);
        try {
            await("no kernel left", () -> directory.members().isEmpty());
            HttpResponse<String> r = post("{\"repos\":[\"pack-4m\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).path("detail").asString()).contains(DNS_NAME);
        } finally {
            ANSWER.set(before);
            await("kernels back", () -> !healthy().isEmpty());
        }
    }

    private List<String> healthy() {
        return directory.members().stream().filter(KernelDirectory.Member::healthy).filter(m -> !m.leaving())
                .map(KernelDirectory.Member::name).toList();
    }

    private static int runningMachines(FakeKernel k) {
        return (int) k.machines.keySet().stream().filter(m -> !m.equals("default")).count();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    private JsonNode awaitCompleted(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode e = JSON.readTree(get("/api/experiments/" + id).body());
            if (!"running".equals(e.path("status").asString())) {
                return e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("experiment " + id + " did not complete");
    }

    private HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/api/experiments")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
