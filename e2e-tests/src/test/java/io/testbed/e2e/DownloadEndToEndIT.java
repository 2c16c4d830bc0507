package io.testbed.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton end to end: gateway REST -> tls-client (real Bouncy Castle TLS) -> gRPC
 * syscalls -> kernel-sim (simulated Akuma) -> real TCP -> git-http-server (JGit over HTTPS). Every
 * service is a separate process started from its runnable jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DownloadEndToEndIT {
    private TestbedStack stack;
    private GatewayClient gateway;

    @BeforeAll
    void startStack() throws Exception {
        stack = new TestbedStack("download").start();
        gateway = new GatewayClient(stack.gatewayUrl());
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String body(String repo, int sleepMs, String clock) {
        return "{\"repo\":\"" + repo + "\",\"client\":\"bc\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":" + sleepMs
                + "},\"clock\":\"" + clock + "\",\"seed\":1}";
    }

    private static void assertVerified(JsonNode d) {
        assertThat(d.path("status").asText()).as("download %s", d).isEqualTo("succeeded");
        assertThat(d.path("pack").path("verified").asBoolean()).as("pack verified: %s", d).isTrue();
        assertThat(d.path("pack").path("sha1").asText()).matches("[0-9a-f]{40}");
        assertThat(d.path("pack").path("objects").asLong()).isPositive();
        assertThat(d.path("bytes").asLong()).isPositive();
    }

    @Test
    void pack4m_sleep10msVersus1ms_onTheVirtualClock_bothVerifyAndTheSleepCostsTime() throws Exception {
        JsonNode ten = gateway.download(body("pack-4m", 10, "virtual"), Duration.ofMinutes(8));
        JsonNode one = gateway.download(body("pack-4m", 1, "virtual"), Duration.ofMinutes(8));
        assertVerified(ten);
        assertVerified(one);
        assertThat(one.path("pack").path("sha1").asText()).isEqualTo(ten.path("pack").path("sha1").asText());
        assertThat(ten.path("bytes").asLong()).isGreaterThan(3_500_000L);

        double sim10 = ten.path("simulatedSeconds").asDouble();
        double sim1 = one.path("simulatedSeconds").asDouble();
        double sleep10 = ten.path("sleepSeconds").asDouble();
        double sleep1 = one.path("sleepSeconds").asDouble();
        System.out.printf("pack-4m sleep 10 ms: simulated %.3f s (sleep %.3f s, %d would-blocks, %d reads), wall %.2f s%n",
                sim10, sleep10, ten.path("wouldBlocks").asLong(), ten.path("reads").asLong(), ten.path("wallSeconds").asDouble());
        System.out.printf("pack-4m sleep  1 ms: simulated %.3f s (sleep %.3f s, %d would-blocks, %d reads), wall %.2f s%n",
                sim1, sleep1, one.path("wouldBlocks").asLong(), one.path("reads").asLong(), one.path("wallSeconds").asDouble());
        // what the model implies on akuma-2026-01-31 (wfi-until-tick sleeps, 10 ms tick): every would-block
        // costs its sleep rounded up to a tick or more, so a 1 ms sleep costs well over 1 ms, and the runs differ
        assertThat(sim10).isNotEqualTo(sim1);
        for (JsonNode d : new JsonNode[]{ten, one}) {
            assertThat(d.path("wouldBlocks").asLong()).isPositive();
            assertThat(d.path("sleeps").asLong()).isPositive();
        }
        double perSleep10 = sleep10 / ten.path("sleeps").asLong();
        double perSleep1 = sleep1 / one.path("sleeps").asLong();
        assertThat(perSleep10).isBetween(0.010, 0.0205);
        // a wfi sleep ends at the next tick; Akuma's timer drifts, so one period is 10 ms + the 2.5 ms IRQ latency
        assertThat(perSleep1).isBetween(0.0025, 0.0126);
        assertThat(ten.path("throughputBytesPerSecond").asDouble())
                .isCloseTo(ten.path("bytes").asLong() / sim10, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void twoIdenticalVirtualDownloads_giveIdenticalSimulatedFigures() throws Exception {
        JsonNode a = gateway.download(body("pack-1m", 1, "virtual"), Duration.ofMinutes(5));
        JsonNode b = gateway.download(body("pack-1m", 1, "virtual"), Duration.ofMinutes(5));
        assertVerified(a);
        assertVerified(b);
        for (String field : new String[]{"simulatedSeconds", "bytes", "wouldBlocks", "sleeps", "sleepSeconds", "reads"}) {
            assertThat(b.path(field).asText()).as(field).isEqualTo(a.path(field).asText());
        }
    }

    @Test
    void progress_asServerSentEvents_throughTheGateway() throws Exception {
        GatewayClient.Response started = gateway.post("/api/downloads", body("pack-1m", 10, "virtual"));
        assertThat(started.status()).isEqualTo(202);
        String id = started.body().get("id").asText();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> events = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.gatewayUrl() + "/api/downloads/" + id + "/events"))
                        .timeout(Duration.ofMinutes(3)).build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        java.util.List<String> lines;
        try (java.util.stream.Stream<String> l = events.body()) {
            lines = l.takeWhile(x -> !x.startsWith("event:done")).collect(java.util.stream.Collectors.toList());
        }
        long progress = lines.stream().filter(x -> x.startsWith("event:progress")).count();
        assertThat(progress).as("progress events before done").isPositive();
        assertThat(lines.stream().filter(x -> x.startsWith("data:")).findFirst().orElse(""))
                .contains("instantBytesPerSecond", "averageBytesPerSecond");
    }

    @Test
    void liveClock_smallPack_succeeds() throws Exception {
        JsonNode d = gateway.download(body("pack-256k", 1, "live"), Duration.ofMinutes(3));
        assertVerified(d);
        assertThat(d.path("simulatedSeconds").asDouble()).isPositive();
    }

    @Test
    void badInput_getsProblemDetails_andTheStackStaysUsable() throws Exception {
        GatewayClient.Response unknownRepo = gateway.post("/api/downloads", "{\"repo\":\"pack-nope\"}");
        assertThat(unknownRepo.status()).isEqualTo(400);
        assertThat(unknownRepo.contentType()).contains("application/problem+json");
        assertThat(unknownRepo.body().path("detail").asText()).contains("pack-nope");

        GatewayClient.Response unknownClient = gateway.post("/api/downloads", "{\"repo\":\"pack-256k\",\"client\":\"nope\"}");
        assertThat(unknownClient.status()).isEqualTo(400);
        assertThat(unknownClient.body().path("detail").asText()).contains("nope");

        GatewayClient.Response unknownPolicy = gateway.post("/api/downloads",
                "{\"repo\":\"pack-256k\",\"policy\":{\"type\":\"teleport\"}}");
        assertThat(unknownPolicy.status()).isEqualTo(400);
        assertThat(unknownPolicy.body().path("detail").asText()).contains("teleport");

        GatewayClient.Response unknownId = gateway.get("/api/downloads/does-not-exist");
        assertThat(unknownId.status()).isEqualTo(404);

        assertVerified(gateway.download(body("pack-256k", 1, "virtual"), Duration.ofMinutes(3)));
    }

    /**
     * The kernel-sim opens real TCP connections for whoever can reach its gRPC port: it must not be a
     * relay. Every service's own ports (management included), the git server's real address, other
     * names and the cloud metadata address are refused; only the allow-listed name and port connect.
     */
    @Test
    void kernelSim_connectsOnlyToTheAllowListedUpstream_notToAnyServicesPorts() {
        Map<String, String> answers = new LinkedHashMap<>();
        try (KernelProbe probe = new KernelProbe(stack.kernelGrpcPort)) {
            answers.put("git-http-server management (actuator)", probe.connect("127.0.0.1", stack.gitManagementPort));
            answers.put("git-http-server HTTPS by its real address", probe.connect("127.0.0.1", stack.gitPort));
            answers.put("git-http-server HTTPS as localhost", probe.connect("localhost", stack.gitPort));
            answers.put("kernel-sim HTTP (actuator)", probe.connect("127.0.0.1", stack.kernelHttpPort));
            answers.put("kernel-sim gRPC", probe.connect("127.0.0.1", stack.kernelGrpcPort));
            answers.put("tls-client REST", probe.connect("127.0.0.1", stack.tlsClientPort));
            answers.put("gateway REST", probe.connect("127.0.0.1", stack.gatewayPort));
            answers.put("gateway REST over IPv6 loopback", probe.connect("::1", stack.gatewayPort));
            answers.put("gateway REST on 0.0.0.0", probe.connect("0.0.0.0", stack.gatewayPort));
            answers.put("the allow-listed name on the management port", probe.connect("git.testbed", stack.gitManagementPort));
            answers.put("the allow-listed name on port 80", probe.connect("git.testbed", 80));
            answers.put("cloud metadata address", probe.connect("169.254.169.254", 80));
            answers.put("a public host", probe.connect("example.com", 443));
            // the names and ports the services have inside docker compose
            for (String service : List.of("gateway-service:8080", "tls-client-service:8082", "kernel-sim-service:8081",
                    "kernel-sim-service:50051", "git-http-server:8443", "git-http-server:8083", "prometheus:9090", "grafana:3000", "postgres:5432")) {
                String[] hostPort = service.split(":");
                answers.put("compose service " + service, probe.connect(hostPort[0], Integer.parseInt(hostPort[1])));
            }

            assertThat(answers).as("every connect but the allow-listed one is refused")
                    .allSatisfy((target, answer) -> assertThat(answer).as(target).isEqualTo("ECONNREFUSED"));
            probe.sleep(50); // a closed socket is freed at the network's next poll
            assertThat(probe.stats().getCountersMap()).as("refused sockets, once closed, are gone").containsEntry("sockets_open", 0L);
            // the refusals are the allow-list at work, not a broken machine: the listed upstream connects
            assertThat(probe.connect("git.testbed", 443)).isEqualTo("ok");
        }
    }

    /**
     * No service logs key material: after a download that verifies and one the kernel refuses, the
     * four services' whole logs hold no PEM private-key marker and no window of the PKI's private keys
     * (base64 as in the PEM files, unbroken base64, or hex).
     */
    @Test
    void logsOfAllFourServices_holdNoPrivateKeyMaterial() throws Exception {
        assertVerified(gateway.download(body("pack-256k", 10, "virtual"), Duration.ofMinutes(3)));
        assertThat(gateway.post("/api/downloads", "{\"repo\":\"pack-256k\",\"overrides\":{\"sched.nope\":\"1\"}}").status())
                .isEqualTo(400);

        Path pki = stack.caFile().getParent();
        Path logs = stack.gatewayDb().getParent();
        List<Path> keys;
        try (Stream<Path> files = Files.list(pki)) {
            keys = files.filter(p -> p.toString().endsWith(".key")).toList();
        }
        assertThat(keys).as("the PKI's private keys").isNotEmpty();
        for (String service : List.of("git-http-server", "kernel-sim-service", "tls-client-service", "gateway-service")) {
            String log = Files.readString(logs.resolve(service + ".log"));
            assertThat(log).as(service + "'s log").contains("Started").doesNotContain("PRIVATE KEY", "BEGIN RSA", "BEGIN EC");
            for (Path key : keys) {
                String pem = Files.readString(key);
                String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                byte[] der = Base64.getDecoder().decode(base64);
                // windows from the middle: the first bytes of every PKCS#8 key of one type look alike
                assertThat(log).as(service + "'s log against " + key.getFileName())
                        .doesNotContain(base64.substring(300, 360), pem.lines().skip(6).findFirst().orElseThrow(),
                                HexFormat.of().formatHex(der).substring(600, 680));
            }
        }
    }
}
