package io.testbed.tls.client.web;

import io.testbed.tls.client.support.TestGitServer;
import io.testbed.tls.client.support.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API over a running service, downloading through the host kernel from a test git server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "logging.level.io.testbed=DEBUG")
@DisplayName("The tls-client REST API")
class TlsClientApiTest {
    static final TestPki.ServerIdentity IDENTITY = TestPki.CA.issue("git.testbed", "localhost", "127.0.0.1");
    static final TestGitServer SERVER = start();
    @TempDir
    static Path pki;

    @Autowired
    Environment env;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    static TestGitServer start() {
        try {
            return new TestGitServer(IDENTITY.sslContext())
                    .withRepo("pack-small", 4, 16 * 1024).withRepo("pack-512k", 8, 64 * 1024);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("testbed.host-kernel.upstreams", () -> "git.testbed:443=127.0.0.1:" + SERVER.port());
        registry.add("testbed.pki.ca-file", () -> TestPki.CA.writePem(pki.resolve("ca.crt")).toString());
        registry.add("testbed.kernels.default", () -> "127.0.0.1:1");
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.getProperty("local.server.port") + path));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode awaitFinished(String id) throws Exception {
        for (int i = 0; i < 300; i++) {
            JsonNode d = json.readTree(call("GET", "/api/downloads/" + id, null).body());
            if (!d.get("status").asString().equals("running")) {
                return d;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("download " + id + " did not finish");
    }

    @Test
    @DisplayName("lists its clients, policies, kernels and verify modes")
    void capabilities_listsPlugins() throws Exception {
        JsonNode caps = json.readTree(call("GET", "/api/capabilities", null).body());
        assertThat(caps.get("clients").toString()).isEqualTo("[\"bc\",\"jdk\",\"bcjsse\",\"boringssl\",\"scratch\",\"scratch-pack\"]");
        assertThat(caps.get("policies").toString()).isEqualTo("[\"sleep\",\"yield\",\"backoff\",\"poll\",\"blocking\",\"akuma-tls\"]");
        assertThat(caps.get("cpu").toString()).isEqualTo("[\"zero\",\"modelled\",\"measured\"]");
        assertThat(caps.get("protocols").toString()).isEqualTo("[\"v0\",\"v1\",\"v2\"]");
        assertThat(caps.get("kernels").toString()).contains("default", "host");
    }

    @Test
    @DisplayName("runs a download to a verified pack and reports its figures, then counts it in the metrics")
    void postDownload_hostKernel_succeedsWithFigures() throws Exception {
        HttpResponse<String> started = call("POST", "/api/downloads", """
                {"kernel":"host","machineId":"m-1","repo":"pack-small","client":"bc",
                 "policy":{"type":"sleep","sleepMs":1,"idleTimeoutReads":5000},"verify":"ca","readSize":4096}""");
        assertThat(started.statusCode()).isEqualTo(202);
        JsonNode body = json.readTree(started.body());
        assertThat(body.get("status").asString()).isEqualTo("running");

        JsonNode d = awaitFinished(body.get("id").asString());
        assertThat(d.get("status").asString()).as(d.toString()).isEqualTo("succeeded");
        assertThat(d.get("pack").get("verified").asBoolean()).isTrue();
        assertThat(d.get("pack").get("objects").asInt()).isEqualTo(SERVER.objectCount("pack-small"));
        assertThat(d.get("verify").asString()).isEqualTo("ca");
        assertThat(d.get("bytes").asLong()).isGreaterThan(4 * 16 * 1024);
        assertThat(d.get("simulatedNs").asLong()).isPositive();
        assertThat(d.get("policy").get("sleepMs").asInt()).isEqualTo(1);

        String prometheus = call("GET", "/actuator/prometheus", null).body();
        assertThat(prometheus).contains("tls_client_bytes_total{", "tls_client_downloads_total{", "tls_client_download_duration_seconds");
        assertThat(prometheus).doesNotContain(body.get("id").asString());
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    @DisplayName("verifies by default, and logs no key material while downloading (logging at DEBUG)")
    void download_logsNoKeyMaterial(CapturedOutput output) throws Exception {
        JsonNode body = json.readTree(call("POST", "/api/downloads", """
                {"kernel":"host","repo":"pack-small","client":"jdk","policy":{"type":"sleep","sleepMs":1}}""").body());
        JsonNode d = awaitFinished(body.get("id").asString());
        assertThat(d.get("status").asString()).as(d.toString()).isEqualTo("succeeded");
        assertThat(d.get("verify").asString()).as("the default").isEqualTo("ca");
        awaitFinished(json.readTree(call("POST", "/api/downloads", "{\"kernel\":\"default\",\"repo\":\"pack-small\"}").body())
                .get("id").asString());

        String log = output.getAll();
        assertThat(log).contains("download " + body.get("id").asString() + " succeeded"); // the capture saw the service's log
        assertThat(log).doesNotContain("PRIVATE KEY", "BEGIN RSA", "BEGIN EC");
        for (java.security.PrivateKey key : List.of(IDENTITY.keys().getPrivate(), TestPki.CA.keys().getPrivate())) {
            String b64 = Base64.getEncoder().encodeToString(key.getEncoded());
            String mime = Base64.getMimeEncoder().encodeToString(key.getEncoded());
            // a window from the middle (the first bytes of every PKCS#8 RSA key look alike)
            assertThat(log).doesNotContain(b64.substring(300, 360), mime.substring(300, 340));
            assertThat(log).doesNotContain(HexFormat.of().formatHex(key.getEncoded()).substring(600, 680));
        }
    }

    @Test
    @DisplayName("labels a download without verification as verify none")
    void postDownload_verifyNone_labelled() throws Exception {
        JsonNode body = json.readTree(call("POST", "/api/downloads",
                "{\"kernel\":\"host\",\"repo\":\"pack-small\",\"verify\":\"none\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":1}}").body());
        JsonNode d = awaitFinished(body.get("id").asString());
        assertThat(d.get("status").asString()).isEqualTo("succeeded");
        assertThat(d.get("verify").asString()).isEqualTo("none");
    }

    @Test
    @DisplayName("fails a download on an unreachable kernel-sim with a kernel error")
    void postDownload_kernelUnreachable_failsWithKernelReason() throws Exception {
        JsonNode body = json.readTree(call("POST", "/api/downloads", "{\"kernel\":\"default\",\"repo\":\"pack-small\"}").body());
        JsonNode d = awaitFinished(body.get("id").asString());
        assertThat(d.get("status").asString()).isEqualTo("failed");
        assertThat(d.get("reason").asString()).isEqualTo("kernel");
    }

    @Test
    @DisplayName("gives client scratch Akuma's defaults: libakuma-tls's would-block sleeps (no idle bound), modelled CPU")
    void postDownload_scratchPlain_akumaDefaults() throws Exception {
        JsonNode body = json.readTree(call("POST", "/api/downloads", "{\"repo\":\"pack-small\",\"client\":\"scratch\"}").body());
        JsonNode d = awaitFinished(body.get("id").asString());
        assertThat(d.get("client").asString()).isEqualTo("scratch");
        assertThat(d.get("policy").toString()).isEqualTo("{\"type\":\"akuma-tls\",\"sleepMs\":1,\"writeSleepMs\":10}");
        assertThat(d.get("policyLabel").asString()).isEqualTo("akuma-tls: read sleep 1 ms, write sleep 10 ms, no idle bound");
        assertThat(d.get("cpu").get("mode").asString()).isEqualTo("modelled");
        assertThat(d.get("reason").asString()).isEqualTo("kernel"); // this test's kernel-sim is unreachable
    }

    @Test
    @DisplayName("serves the latest progress and the progress as server-sent events ending with done")
    void progressAndEvents_speedsInBytesAndKiBPerSimulatedSecond() throws Exception {
        JsonNode body = json.readTree(call("POST", "/api/downloads", """
                {"kernel":"host","repo":"pack-512k","client":"jdk","policy":{"type":"backoff","minMs":1,"maxMs":4},
                 "protocol":"v1","keepAlive":true,"cpu":{"mode":"modelled"}}""").body());
        String id = body.get("id").asString();
        HttpResponse<java.util.stream.Stream<String>> sse = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + env.getProperty("local.server.port") + "/api/downloads/" + id + "/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(sse.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        java.util.List<String> lines = sse.body().toList();
        String text = String.join("\n", lines);
        assertThat(lines).contains("event:done");
        assertThat(lines.get(lines.size() - 1)).isEmpty();
        JsonNode done = json.readTree(lines.get(lines.indexOf("event:done") + 1).substring("data:".length()));
        assertThat(done.get("status").asString()).as(text).isEqualTo("succeeded");
        assertThat(done.get("id").asString()).isEqualTo(id);
        int lastProgress = lines.lastIndexOf("event:progress");
        assertThat(lastProgress).as(text).isPositive();
        assertThat(lines.get(lastProgress - 1)).startsWith("id:");
        JsonNode p = json.readTree(lines.get(lastProgress + 1).substring("data:".length()));
        assertThat(p.get("bytes").asLong()).isEqualTo(done.get("bytes").asLong());
        assertThat(p.get("averageKiBPerSecond").asDouble()).isCloseTo(p.get("averageBytesPerSecond").asDouble() / 1024,
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(p.get("text").asString()).contains("KiB/s average (simulated time)");

        JsonNode latest = json.readTree(call("GET", "/api/downloads/" + id + "/progress", null).body());
        assertThat(latest.get("bytes").asLong()).isEqualTo(done.get("bytes").asLong());
        assertThat(latest.get("status").asString()).isEqualTo("succeeded");
        JsonNode d = awaitFinished(id);
        assertThat(d.get("connections").asInt()).isEqualTo(1);
        assertThat(d.get("protocol").asString()).isEqualTo("v1");
        assertThat(d.get("userCpu").asString()).startsWith("modelled");
        assertThat(d.get("policy").get("maxMs").asInt()).isEqualTo(4);
        assertThat(d.get("recordSizes").get("count").asLong()).isEqualTo(d.get("tlsRecords").asLong());
        assertThat(d.get("readSizes").get("histogram").size()).isPositive();
    }

    @Test
    @DisplayName("a status request with waitMs answers at the download's end, not at its next poll")
    void getDownload_waitMs_answersAtTheEnd() throws Exception {
        HttpResponse<String> started = call("POST", "/api/downloads", """
                {"kernel":"host","machineId":"m-1","repo":"pack-512k","client":"bc",
                 "policy":{"type":"sleep","sleepMs":1,"idleTimeoutReads":5000},"verify":"ca","readSize":4096}""");
        assertThat(started.statusCode()).isEqualTo(202);
        String id = json.readTree(started.body()).get("id").asString();

        HttpResponse<String> waited = call("GET", "/api/downloads/" + id + "?waitMs=60000", null);
        assertThat(waited.statusCode()).isEqualTo(200);
        JsonNode d = json.readTree(waited.body());
        assertThat(d.get("status").asString()).as(d.toString()).isEqualTo("succeeded");
        assertThat(d.get("pack").get("verified").asBoolean()).isTrue();
        // once ended, the same request answers at once with the same figures
        assertThat(json.readTree(call("GET", "/api/downloads/" + id + "?waitMs=60000", null).body())).isEqualTo(d);

        for (String bad : List.of("-1", "60001", "soon")) {
            HttpResponse<String> r = call("GET", "/api/downloads/" + id + "?waitMs=" + bad, null);
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(json.readTree(call("GET", "/api/downloads/" + id + "?waitMs=-1", null).body()).get("detail").asString())
                .contains("waitMs must be 0..60000");
        assertThat(call("GET", "/api/downloads/d-nope?waitMs=1000", null).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("answers 404 problem details for an unknown download")
    void getDownload_unknown_404() throws Exception {
        HttpResponse<String> r = call("GET", "/api/downloads/d-nope", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    @DisplayName("exposes only health, info and prometheus")
    void actuator_onlyHealthInfoPrometheus() throws Exception {
        assertThat(call("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/actuator/env", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/actuator/metrics", null).statusCode()).isEqualTo(404);
    }

    @Nested
    @DisplayName("rejects with 400 problem details")
    class Validation {
        void assertProblem(String request, String field, String detailPart) throws Exception {
            HttpResponse<String> r = call("POST", "/api/downloads", request);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode p = json.readTree(r.body());
            assertThat(p.get("status").asInt()).isEqualTo(400);
            assertThat(p.get("detail").asString()).contains(detailPart);
            if (field != null) {
                assertThat(p.get("field").asString()).isEqualTo(field);
            }
        }

        @Test
        @DisplayName("an unknown client")
        void unknownClient() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"client\":\"openssl\"}", "client", "unknown client 'openssl'; known: [bc, jdk, bcjsse, boringssl, scratch, scratch-pack]");
        }

        @Test
        @DisplayName("client scratch with what Akuma's scratch cannot do, saying why")
        void scratchUnsupportedOptions() throws Exception {
            String s = "{\"repo\":\"pack-small\",\"client\":\"scratch\",";
            assertProblem(s + "\"kernel\":\"host\"}", "kernel", "needs a kernel-sim machine");
            assertProblem(s + "\"protocol\":\"v2\"}", "protocol", "git protocol v0 only");
            assertProblem(s + "\"keepAlive\":true}", "keepAlive", "new connection per request");
            assertProblem(s + "\"tlsVersions\":[\"TLSv1.2\"]}", "tls", "speaks only [TLSv1.3]");
            assertProblem(s + "\"cipherSuites\":[\"TLS_AES_256_GCM_SHA384\"]}", "tls", "offers only [TLS_AES_128_GCM_SHA256]");
            assertProblem(s + "\"progress\":false}", "progress", "never sends no-progress");
            assertProblem(s + "\"readSize\":8192}", "readSize", "must be 4096 or absent");
            assertProblem(s + "\"policy\":{\"type\":\"akuma-tls\",\"writeSleepMs\":10001}}", "policy.writeSleepMs", "0..10000");
        }

        @Test
        @DisplayName("an unknown policy")
        void unknownPolicy() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"policy\":{\"type\":\"spin\"}}", "policy", "unknown would-block policy 'spin'");
        }

        @Test
        @DisplayName("an unknown kernel")
        void unknownKernel() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"kernel\":\"mars\"}", "kernel", "unknown kernel 'mars'");
        }

        @Test
        @DisplayName("sleepMs out of 0..10000")
        void sleepOutOfRange() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":10001}}", "policy.sleepMs", "0..10000");
        }

        @Test
        @DisplayName("a backoff whose max is below its min")
        void backoffMaxBelowMin() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"policy\":{\"type\":\"backoff\",\"minMs\":5,\"maxMs\":2}}", "policy.maxMs", "must not be below");
        }

        @Test
        @DisplayName("an unknown git protocol or cpu mode")
        void badProtocolOrCpu() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"protocol\":\"v3\"}", "protocol", "[v0, v1, v2]");
            assertProblem("{\"repo\":\"pack-small\",\"cpu\":{\"mode\":\"free\"}}", "cpu", "unknown cpu mode 'free'");
        }

        @Test
        @DisplayName("readSize out of 1..65536")
        void readSizeOutOfRange() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"readSize\":0}", "readSize", "1..65536");
        }

        @Test
        @DisplayName("a repository name that is not a plain name")
        void badRepo() throws Exception {
            assertProblem("{\"repo\":\"../etc/passwd\"}", "repo", "repo must match");
        }

        @Test
        @DisplayName("an unknown verify mode")
        void badVerify() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"verify\":\"maybe\"}", "verify", "'ca'");
        }

        @Test
        @DisplayName("an unknown cipher suite")
        void badSuite() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"cipherSuites\":[\"TLS_NOPE\"]}", "tls", "unknown cipher suite 'TLS_NOPE'");
        }

        @Test
        @DisplayName("malformed JSON, saying so")
        void malformedJson() throws Exception {
            assertProblem("{\"repo\":", null, "malformed JSON");
        }

        @Test
        @DisplayName("an unknown field, naming it and the known ones")
        void unknownField() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"sleepMs\":1}", "sleepMs", "unknown field 'sleepMs'; known fields here: [");
            assertProblem("{\"repo\":\"pack-small\",\"policy\":{\"type\":\"sleep\",\"sleep\":1}}", "policy.sleep",
                    "unknown field 'policy.sleep'");
        }

        @Test
        @DisplayName("a wrong type or a number out of range of its type, naming the field")
        void wrongTypeOrHugeNumber() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"readSize\":\"big\"}", "readSize", "field 'readSize' has a wrong type or value");
            assertProblem("{\"repo\":\"pack-small\",\"readSize\":1099511627776}", "readSize", "field 'readSize' has a wrong type or value");
            assertProblem("{\"repo\":[\"pack-small\"]}", "repo", "field 'repo'");
            assertProblem("{\"repo\":\"pack-small\",\"keepAlive\":\"maybe\"}", "keepAlive", "field 'keepAlive'");
        }

        @Test
        @DisplayName("numbers out of their documented ranges")
        void outOfRange() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"readSize\":65537}", "readSize", "1..65536");
            assertProblem("{\"repo\":\"pack-small\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":-1}}", "policy.sleepMs", "0..10000");
            assertProblem("{\"repo\":\"pack-small\",\"policy\":{\"type\":\"sleep\",\"idleTimeoutReads\":0}}", "policy.idleTimeoutReads", "");
            assertProblem("{\"repo\":\"pack-small\",\"policy\":{\"type\":\"yield\",\"idleTimeoutMs\":3600001}}", "policy.idleTimeoutMs", "");
        }

        @Test
        @DisplayName("a machine id that is not a plain name")
        void badMachineId() throws Exception {
            assertProblem("{\"repo\":\"pack-small\",\"machineId\":\"" + "m".repeat(65) + "\"}", "machineId", "machineId must match");
            assertProblem("{\"repo\":\"pack-small\",\"machineId\":\"../x\"}", "machineId", "machineId must match");
        }

        @Test
        @DisplayName("a body over 64 KiB: 413, declared or chunked, nothing started")
        void oversizedBody() throws Exception {
            String big = "{\"repo\":\"pack-small\",\"tlsVersions\":[" + "\"TLSv1.3\",".repeat(10_000) + "\"TLSv1.3\"]}";
            int before = json.readTree(call("GET", "/api/downloads?limit=1000", null).body()).size();
            HttpResponse<String> r = call("POST", "/api/downloads", big);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json.readTree(r.body()).get("detail").asString()).contains("larger than 65536 bytes");
            HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + env.getProperty("local.server.port") + "/api/downloads")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
            assertThat(json.readTree(call("GET", "/api/downloads?limit=1000", null).body()).size()).isEqualTo(before);
        }

        @Test
        @DisplayName("a list limit that is not a number")
        void badLimit() throws Exception {
            HttpResponse<String> r = call("GET", "/api/downloads?limit=lots", null);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Nested
    @DisplayName("issue 16: one source for policy bounds, /error")
    class RoundTwo {
        @Test
        @DisplayName("capabilities publish every policy parameter's bounds")
        void capabilities_publishPolicyBounds() throws Exception {
            JsonNode bounds = json.readTree(call("GET", "/api/capabilities", null).body()).get("policyBounds");
            assertThat(bounds.get("sleepMs").toString()).isEqualTo("[0,10000]");
            assertThat(bounds.get("factor").toString()).isEqualTo("[1.0,16.0]");
            assertThat(bounds.get("idleTimeoutReads").toString()).isEqualTo("[1,10000000]");
            assertThat(bounds.get("timeoutMs").toString()).isEqualTo("[0,60000]");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{\"type\":\"sleep\",\"sleepMs\":20000}|policy.sleepMs",
                "{\"type\":\"backoff\",\"minMs\":10,\"maxMs\":1}|policy.maxMs",
                "{\"type\":\"backoff\",\"factor\":50}|policy.factor",
                "{\"type\":\"sleep\",\"idleTimeoutReads\":50000000}|policy.idleTimeoutReads",
                "{\"type\":\"teleport\"}|policy.type"})
        @DisplayName("POST /api/policies/check refuses what a download would, naming the field")
        void policyCheck_refusesOutOfBounds(String caseSpec) throws Exception {
            String[] c = caseSpec.split("\\|");
            HttpResponse<String> r = call("POST", "/api/policies/check", c[0]);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains(c[1]);
        }

        @Test
        @DisplayName("POST /api/policies/check accepts a good policy and gives its label")
        void policyCheck_acceptsGood() throws Exception {
            HttpResponse<String> r = call("POST", "/api/policies/check", "{\"type\":\"backoff\",\"minMs\":1,\"maxMs\":10,\"factor\":2}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json.readTree(r.body()).get("label").asString()).startsWith("backoff 1..10 ms");
        }

        @Test
        @DisplayName("GET /error is 404")
        void getError_is404() throws Exception {
            HttpResponse<String> r = call("GET", "/error", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            assertThat(r.body()).doesNotContain("999");
        }
    }
}
