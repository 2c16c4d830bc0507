package io.testbed.gateway.web;

import io.testbed.gateway.fakes.FakeGitServer;
import io.testbed.gateway.fakes.FakeKernel;
import io.testbed.gateway.fakes.FakeTlsClient;
import io.testbed.gateway.fakes.Fakes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad REST input, one table: every way the gateway's three POST endpoints and its list and read
 * endpoints can be asked something wrong. Each case must get a problem detail
 * ({@code application/problem+json}) with the right status, a {@code detail} that says what to change
 * (the field and, where there is one, the bound or the known values), the field at fault in
 * {@code errors[].field} where one is, and must leave nothing behind: no download, experiment or
 * reproduction stored, no machine created, no download started on tls-client.
 *
 * <p>The gateway here has its own fakes (so their counters see only this test), a git server that lists
 * repository sizes, and {@code testbed.downloads.max-repo-bytes} of 2 MiB, so {@code pack-4m} is over it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "testbed.downloads.max-repo-bytes=2MB")
class BadRestInputTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final Fakes.Own FAKES = Fakes.own(FakeGitServer.REPOS_WITH_SIZES, "{\"clients\":[\"bc\"],\"policies\":[\"sleep\"],\"cpu\":[\"zero\",\"modelled\"]}");
    static final FakeGitServer GIT = FAKES.git();
    static final FakeTlsClient TLS_CLIENT = FAKES.tlsClient();
    static final FakeKernel KERNEL = FAKES.kernel();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        FAKES.register(registry);
    }

    @AfterAll
    static void closeFakes() throws Exception {
        FAKES.close();
    }

    /**
     * One bad request and what the gateway must answer.
     *
     * @param method      GET or POST
     * @param path        the path, query included, already URL-encoded
     * @param contentType the Content-Type sent, null for none
     * @param body        the body (POST only)
     * @param chunked     send the body without a Content-Length
     * @param status      the expected status
     * @param field       the expected {@code errors[0].field}, null where no single field is at fault
     * @param detail      substrings the {@code detail} must hold
     */
    record Case(String method, String path, String contentType, String body, boolean chunked, int status, String field,
                List<String> detail) {
    }

    private static final String DL = "/api/downloads";
    private static final String EX = "/api/experiments";
    private static final String RP = "/api/reproductions";
    private static final String A_ID = "0123456789abcdef";

    static Stream<Arguments> cases() {
        String tooManyOverrides = IntStream.range(0, 65).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(",", "{", "}"));
        String bigDownload = "{\"repo\":\"pack-4m\",\"profile\":\"" + "a".repeat(20_000) + "\"}";
        String bigExperiment = "{\"repos\":[\"pack-256k\"],\"name\":\"" + "n".repeat(20_000) + "\"}";
        String sixPolicies = IntStream.range(0, 6).mapToObj(i -> "{\"type\":\"sleep\",\"sleepMs\":" + i + "}").collect(Collectors.joining(",", "[", "]"));
        // every list at its size bound: 16 x 16 x 32 x 32 x 8 x 5 cells x 100 repetitions (over 10^9 runs) in about 1 KiB
        String hugeMatrix = "{\"repos\":" + names("r", 16) + ",\"clients\":" + names("c", 16)
                + ",\"policies\":" + IntStream.range(0, 32).mapToObj(i -> "{\"type\":\"sleep\"}").collect(Collectors.joining(",", "[", "]"))
                + ",\"machines\":" + IntStream.range(0, 32).mapToObj(i -> "{}").collect(Collectors.joining(",", "[", "]"))
                + ",\"downloads\":[1,2,3,4,5,6,7,8],\"sessions\":[0,1,2,3,4],\"repetitions\":100}";
        List<Arguments> all = new ArrayList<>();

        // POST /api/downloads: the body as such
        add(all, "download: malformed JSON", post(DL, "{\"repo\":", 400, null, "Malformed JSON at line 1", "send a complete JSON object such as {\"repo\":\"pack-4m\"}"));
        add(all, "download: truncated JSON", post(DL, "{\"repo\":\"pack-4m\",\"policy\":{\"type\":\"sleep\"", 400, null, "Malformed JSON", "end-of-input"));
        add(all, "download: empty body", post(DL, "", 400, null, "needs a JSON body such as {\"repo\":\"pack-4m\"}"));
        add(all, "download: JSON null", post(DL, "null", 400, null, "needs a JSON body such as {\"repo\":\"pack-4m\"}"));
        add(all, "download: a JSON array instead of an object", post(DL, "[{\"repo\":\"pack-4m\"}]", 400, null, "must be one JSON object such as {\"repo\":\"pack-4m\"}, not an array"));
        add(all, "download: a string instead of an object", post(DL, "\"pack-4m\"", 400, null, "must be one JSON object", "not a string"));
        add(all, "download: unknown top-level field", post(DL, "{\"repo\":\"pack-4m\",\"colour\":\"red\"}", 400, "colour", "Unknown field 'colour'", "allowed fields here: [client, clock, overrides, policy, profile, repo, seed]"));
        add(all, "download: unknown nested field policy.sleep", post(DL, "{\"repo\":\"pack-4m\",\"policy\":{\"type\":\"sleep\",\"sleep\":10}}", 400, "policy.sleep", "Unknown field 'policy.sleep'", "sleepMs"));
        // wrong types
        add(all, "download: string for a number (seed)", post(DL, "{\"repo\":\"pack-4m\",\"seed\":\"one\"}", 400, "seed", "Field 'seed' cannot take the value 'one': expected an integer"));
        add(all, "download: array for a string (repo)", post(DL, "{\"repo\":[\"pack-4m\"]}", 400, "repo", "Field 'repo' has the wrong type: expected a string"));
        add(all, "download: object for a string (clock)", post(DL, "{\"repo\":\"pack-4m\",\"clock\":{\"virtual\":true}}", 400, "clock", "Field 'clock' has the wrong type: expected a string"));
        add(all, "download: float for an int (policy.sleepMs 1.5)", post(DL, "{\"repo\":\"pack-4m\",\"policy\":{\"sleepMs\":1.5}}", 400, "policy.sleepMs", "Field 'policy.sleepMs'", "expected an integer"));
        add(all, "download: number over Java int (policy.sleepMs 2^31)", post(DL, "{\"repo\":\"pack-4m\",\"policy\":{\"sleepMs\":2147483648}}", 400, "policy.sleepMs", "Field 'policy.sleepMs'", "2147483648"));
        add(all, "download: number over Java long (seed 2^63)", post(DL, "{\"repo\":\"pack-4m\",\"seed\":9223372036854775808}", 400, "seed", "Field 'seed'", "9223372036854775808"));
        add(all, "download: string for an object (policy)", post(DL, "{\"repo\":\"pack-4m\",\"policy\":\"sleep\"}", 400, "policy", "Field 'policy'"));
        // out of the documented ranges
        add(all, "download: policy.sleepMs over 10000", post(DL, "{\"repo\":\"pack-4m\",\"policy\":{\"sleepMs\":10001}}", 400, "policy.sleepMs", "policy.sleepMs must be less than or equal to 10000 (got 10001)"));
        add(all, "download: policy.sleepMs below 0", post(DL, "{\"repo\":\"pack-4m\",\"policy\":{\"sleepMs\":-1}}", 400, "policy.sleepMs", "policy.sleepMs must be greater than or equal to 0"));
        add(all, "download: policy.idleTimeoutReads 0", post(DL, "{\"repo\":\"pack-4m\",\"policy\":{\"idleTimeoutReads\":0}}", 400, "policy.idleTimeoutReads", "policy.idleTimeoutReads must be greater than or equal to 1"));
        add(all, "download: policy.idleTimeoutReads over 10^7", post(DL, "{\"repo\":\"pack-4m\",\"policy\":{\"idleTimeoutReads\":10000001}}", 400, "policy.idleTimeoutReads", "less than or equal to 10000000"));
        add(all, "download: negative seed", post(DL, "{\"repo\":\"pack-4m\",\"seed\":-1}", 400, "seed", "seed must be greater than or equal to 0"));
        add(all, "download: unknown clock", post(DL, "{\"repo\":\"pack-4m\",\"clock\":\"wall\"}", 400, "clock", "clock must be 'virtual' or 'live' (got wall)"));
        add(all, "download: missing repo", post(DL, "{\"client\":\"bc\"}", 400, "repo", "repo is required: a repository name such as pack-4m"));
        // unknown names
        add(all, "download: unknown repo", post(DL, "{\"repo\":\"pack-9g\"}", 400, "repo", "Unknown repo 'pack-9g'", "[pack-1m, pack-256k, pack-4m]"));
        add(all, "download: unknown client", post(DL, "{\"repo\":\"pack-256k\",\"client\":\"openssl\"}", 400, "client", "Unknown client 'openssl'", "[bc]"));
        add(all, "download: unknown policy type", post(DL, "{\"repo\":\"pack-256k\",\"policy\":{\"type\":\"spin\"}}", 400, "policy.type", "Unknown policy type 'spin'", "[sleep]"));
        add(all, "download: unknown profile", post(DL, "{\"repo\":\"pack-256k\",\"profile\":\"nope\"}", 400, null, "unknown profile 'nope'", "akuma-2026-01-31"));
        add(all, "download: unknown kernel setting", post(DL, "{\"repo\":\"pack-256k\",\"overrides\":{\"bogus.knob\":\"1\"}}", 400, null, "unknown setting 'bogus.knob'"));
        // names that are not plain names, and strings too long
        add(all, "download: path-traversal repo", post(DL, "{\"repo\":\"../etc/passwd\"}", 400, "repo", "repo must start with a letter or digit and hold only letters, digits"));
        add(all, "download: path-traversal client", post(DL, "{\"repo\":\"pack-256k\",\"client\":\"../../bin/sh\"}", 400, "client", "client must start with a letter or digit"));
        add(all, "download: path-traversal profile", post(DL, "{\"repo\":\"pack-256k\",\"profile\":\"../../etc/passwd\"}", 400, "profile", "profile may hold only letters, digits"));
        add(all, "download: repo over 128 characters", post(DL, "{\"repo\":\"" + "r".repeat(129) + "\"}", 400, "repo", "repo must be at most 128 characters long"));
        add(all, "download: profile over 64 characters", post(DL, "{\"repo\":\"pack-256k\",\"profile\":\"" + "p".repeat(65) + "\"}", 400, "profile", "profile must be at most 64 characters long"));
        add(all, "download: 65 overrides", post(DL, "{\"repo\":\"pack-256k\",\"overrides\":" + tooManyOverrides + "}", 400, "overrides", "overrides may hold at most 64 settings"));
        add(all, "download: override value over 256 characters", post(DL, "{\"repo\":\"pack-256k\",\"overrides\":{\"a\":\"" + "x".repeat(257) + "\"}}", 400, "overrides[a]", "overrides[a] must be at most 256 characters long"));
        add(all, "download: override name with a slash", post(DL, "{\"repo\":\"pack-256k\",\"overrides\":{\"../x\":\"1\"}}", 400, null, "setting names may hold only letters, digits"));
        // bounds on size
        add(all, "download: repository over max-repo-bytes", post(DL, "{\"repo\":\"pack-4m\"}", 413, null, "Repository 'pack-4m' is 4194304 bytes", "bound of 2097152 bytes", "testbed.downloads.max-repo-bytes"));
        add(all, "download: body over 16 KiB with Content-Length", post(DL, bigDownload, 413, null, "larger than 16384 bytes (testbed.api.max-body-bytes)"));
        add(all, "download: body over 16 KiB chunked", chunked(DL, bigDownload, "larger than 16384 bytes (testbed.api.max-body-bytes)"));
        add(all, "download: text/plain body", new Case("POST", DL, "text/plain", "repo=pack-4m", false, 415, null, List.of("'text/plain", "send JSON with 'Content-Type: application/json'")));
        add(all, "download: no Content-Type", new Case("POST", DL, null, "{\"repo\":\"pack-4m\"}", false, 415, null, List.of("Content-Type: application/json")));

        // POST /api/experiments
        add(all, "experiment: truncated JSON", post(EX, "{\"repos\":[\"pack-256k\"]", 400, null, "Malformed JSON", "{\"repos\":[\"pack-256k\"]}"));
        add(all, "experiment: empty body", post(EX, "", 400, null, "needs a JSON body such as {\"repos\":[\"pack-256k\"]}"));
        add(all, "experiment: a JSON array instead of an object", post(EX, "[{\"repos\":[\"pack-256k\"]}]", 400, null, "must be one JSON object", "not an array"));
        add(all, "experiment: unknown top-level field", post(EX, "{\"repos\":[\"pack-256k\"],\"repeats\":2}", 400, "repeats", "Unknown field 'repeats'", "repetitions"));
        add(all, "experiment: unknown nested field policies[0].sleep", post(EX, "{\"repos\":[\"pack-256k\"],\"policies\":[{\"type\":\"sleep\",\"sleep\":1}]}", 400, "policies[0].sleep", "Unknown field 'policies[0].sleep'", "sleepMs"));
        add(all, "experiment: unknown nested field machines[0].settings", post(EX, "{\"repos\":[\"pack-256k\"],\"machines\":[{\"settings\":{}}]}", 400, "machines[0].settings", "Unknown field 'machines[0].settings'", "overrides"));
        add(all, "experiment: string for an array (repos)", post(EX, "{\"repos\":\"pack-256k\"}", 400, "repos", "Field 'repos' has the wrong type: expected an array"));
        add(all, "experiment: float for an int (repetitions 1.5)", post(EX, "{\"repos\":[\"pack-256k\"],\"repetitions\":1.5}", 400, "repetitions", "Field 'repetitions'", "expected an integer"));
        add(all, "experiment: number over Java int (downloads[0])", post(EX, "{\"repos\":[\"pack-256k\"],\"downloads\":[4294967296]}", 400, "downloads[0]", "Field 'downloads[0]'", "4294967296"));
        add(all, "experiment: string for a number (maxSimulatedSeconds)", post(EX, "{\"repos\":[\"pack-256k\"],\"maxSimulatedSeconds\":\"long\"}", 400, "maxSimulatedSeconds", "Field 'maxSimulatedSeconds' cannot take the value 'long': expected a number"));
        add(all, "experiment: missing repos", post(EX, "{\"name\":\"x\"}", 400, "repos", "repos is required: at least one repository"));
        add(all, "experiment: empty repos", post(EX, "{\"repos\":[]}", 400, "repos", "repos is required"));
        add(all, "experiment: unknown repo", post(EX, "{\"repos\":[\"pack-9g\"]}", 400, "repos", "Unknown repo 'pack-9g'", "[pack-1m, pack-256k, pack-4m]"));
        add(all, "experiment: unknown client", post(EX, "{\"repos\":[\"pack-256k\"],\"clients\":[\"openssl\"]}", 400, "clients", "Unknown client 'openssl'", "[bc]"));
        add(all, "experiment: unknown policy type", post(EX, "{\"repos\":[\"pack-256k\"],\"policies\":[{\"type\":\"spin\"}]}", 400, "policies", "Unknown policy type 'spin'", "[sleep]"));
        add(all, "experiment: unknown cpu mode", post(EX, "{\"repos\":[\"pack-256k\"],\"cpu\":\"turbo\"}", 400, "cpu", "Unknown cpu mode 'turbo'", "[zero, modelled]"));
        add(all, "experiment: cpu mode not a name", post(EX, "{\"repos\":[\"pack-256k\"],\"cpu\":\"MODELLED!\"}", 400, "cpu", "cpu must be a mode name such as modelled"));
        add(all, "experiment: unknown profile", post(EX, "{\"repos\":[\"pack-256k\"],\"machines\":[{\"profile\":\"nope\"}]}", 400, null, "unknown profile 'nope'"));
        add(all, "experiment: unknown kernel setting", post(EX, "{\"repos\":[\"pack-256k\"],\"machines\":[{\"overrides\":{\"bogus.knob\":\"1\"}}]}", 400, null, "unknown setting 'bogus.knob'"));
        add(all, "experiment: path-traversal repo", post(EX, "{\"repos\":[\"../etc/passwd\"]}", 400, "repos[0]", "repos[0] must start with a letter or digit"));
        add(all, "experiment: name over 200 characters", post(EX, "{\"repos\":[\"pack-256k\"],\"name\":\"" + "n".repeat(201) + "\"}", 400, "name", "name must be at most 200 characters long"));
        add(all, "experiment: 17 repos", post(EX, "{\"repos\":" + names("r", 17) + "}", 400, "repos", "repos must hold at most 16 values"));
        add(all, "experiment: no clients", post(EX, "{\"repos\":[\"pack-256k\"],\"clients\":[]}", 400, "clients", "clients must hold 1 to 16 values"));
        add(all, "experiment: sessions 5", post(EX, "{\"repos\":[\"pack-256k\"],\"sessions\":[5]}", 400, "sessions[0]", "sessions[0] must be less than or equal to 4"));
        add(all, "experiment: downloads 9 (max-downloads-per-run 8)", post(EX, "{\"repos\":[\"pack-256k\"],\"downloads\":[9]}", 400, "downloads", "downloads must be 1..8 per run (testbed.experiments.max-downloads-per-run), was 9"));
        add(all, "experiment: repetitions 101", post(EX, "{\"repos\":[\"pack-256k\"],\"repetitions\":101}", 400, "repetitions", "repetitions must be less than or equal to 100"));
        add(all, "experiment: maxSimulatedSeconds 0", post(EX, "{\"repos\":[\"pack-256k\"],\"maxSimulatedSeconds\":0}", 400, "maxSimulatedSeconds", "maxSimulatedSeconds must be greater than or equal to 0.1"));
        add(all, "experiment: 600 runs (max-runs 500)", post(EX, "{\"repos\":[\"pack-256k\"],\"policies\":" + sixPolicies + ",\"repetitions\":100}", 413, null, "600 runs", "at most 500", "testbed.experiments.max-runs"));
        add(all, "experiment: every list at its bound (1048576000 runs)", post(EX, hugeMatrix, 413, null, "1048576000 runs", "at most 500", "testbed.experiments.max-runs"));
        add(all, "experiment: repository over max-repo-bytes", post(EX, "{\"repos\":[\"pack-256k\",\"pack-4m\"]}", 413, null, "Repository 'pack-4m' is 4194304 bytes", "2097152", "testbed.downloads.max-repo-bytes"));
        add(all, "experiment: body over 16 KiB chunked", chunked(EX, bigExperiment, "larger than 16384 bytes"));
        add(all, "experiment: body over 16 KiB with Content-Length", post(EX, bigExperiment, 413, null, "larger than 16384 bytes"));
        add(all, "experiment: text/plain body", new Case("POST", EX, "text/plain", "pack-256k", false, 415, null, List.of("{\"repos\":[\"pack-256k\"]}")));

        // POST /api/reproductions
        add(all, "reproduction: malformed JSON", post(RP, "{\"repo\":}", 400, null, "Malformed JSON", "{\"repo\":\"pack-256k\",\"repetitions\":1}"));
        add(all, "reproduction: a JSON array instead of an object", post(RP, "[]", 400, null, "must be one JSON object", "not an array"));
        add(all, "reproduction: unknown field", post(RP, "{\"repetition\":1}", 400, "repetition", "Unknown field 'repetition'", "repetitions"));
        add(all, "reproduction: string for a number (repetitions)", post(RP, "{\"repetitions\":\"three\"}", 400, "repetitions", "Field 'repetitions' cannot take the value 'three': expected an integer"));
        add(all, "reproduction: repetitions 21", post(RP, "{\"repo\":\"pack-256k\",\"repetitions\":21}", 400, "repetitions", "repetitions must be less than or equal to 20"));
        add(all, "reproduction: maxSimulatedSeconds 0.5", post(RP, "{\"repo\":\"pack-256k\",\"maxSimulatedSeconds\":0.5}", 400, "maxSimulatedSeconds", "maxSimulatedSeconds must be greater than or equal to 1"));
        add(all, "reproduction: path-traversal repo", post(RP, "{\"repo\":\"../etc/passwd\"}", 400, "repo", "repo must be a repository name such as pack-4m"));
        add(all, "reproduction: client over 64 characters", post(RP, "{\"repo\":\"pack-256k\",\"client\":\"" + "c".repeat(65) + "\"}", 400, "client", "client must be a client name such as bc: up to 64"));
        add(all, "reproduction: unknown repo", post(RP, "{\"repo\":\"pack-9g\"}", 400, "repo", "Unknown repo 'pack-9g'"));
        add(all, "reproduction: unknown client", post(RP, "{\"repo\":\"pack-256k\",\"client\":\"openssl\"}", 400, "client", "Unknown client 'openssl'"));
        add(all, "reproduction: unknown cpu mode", post(RP, "{\"repo\":\"pack-256k\",\"cpu\":\"turbo\"}", 400, "cpu", "Unknown cpu mode 'turbo'"));
        add(all, "reproduction: more runs than max-runs", post(RP, "{\"repo\":\"pack-256k\",\"repetitions\":20}", 413, null, "at most 500", "testbed.experiments.max-runs"));
        add(all, "reproduction: repository over max-repo-bytes", post(RP, "{\"repo\":\"pack-4m\"}", 413, null, "Repository 'pack-4m' is 4194304 bytes", "testbed.downloads.max-repo-bytes"));
        add(all, "reproduction: body over 16 KiB chunked", chunked(RP, "{\"repo\":\"" + "r".repeat(20_000) + "\"}", "larger than 16384 bytes"));
        add(all, "reproduction: text/plain body", new Case("POST", RP, "text/plain", "pack-4m", false, 415, null, List.of("Content-Type: application/json")));

        // query parameters of the lists
        add(all, "list downloads: limit 0", get(DL + "?limit=0", 400, "limit", "limit must be greater than or equal to 1 (got 0)"));
        add(all, "list downloads: limit not a number", get(DL + "?limit=lots", 400, "limit", "Parameter 'limit' cannot take the value 'lots': expected an integer"));
        add(all, "list experiments: limit 1001", get(EX + "?limit=1001", 400, "limit", "limit must be less than or equal to 1000 (got 1001)"));
        add(all, "list experiments: limit a fraction", get(EX + "?limit=2.5", 400, "limit", "cannot take the value '2.5': expected an integer"));
        add(all, "list reproductions: limit over Java int", get(RP + "?limit=99999999999", 400, "limit", "Parameter 'limit' cannot take the value '99999999999': expected an integer"));
        // unknown ids, and ids that are not ids
        add(all, "get download: unknown id", get(DL + "/dl-" + A_ID, 404, null, "No download 'dl-" + A_ID + "'; GET /api/downloads lists them"));
        add(all, "get download events: unknown id", get(DL + "/dl-" + A_ID + "/events", 404, null, "No download 'dl-" + A_ID + "'"));
        add(all, "get experiment: unknown id", get(EX + "/ex-" + A_ID, 404, null, "ex-" + A_ID));
        add(all, "get experiment CSV: unknown id", get(EX + "/ex-" + A_ID + "/results.csv", 404, null, "ex-" + A_ID));
        add(all, "get reproduction: unknown id", get(RP + "/rp-" + A_ID, 404, null, "No reproduction 'rp-" + A_ID + "'; GET /api/reproductions lists them"));
        add(all, "get reproduction report: unknown id", get(RP + "/rp-" + A_ID + "/report.md", 404, null, "No reproduction 'rp-" + A_ID + "'"));
        add(all, "latest reproduction: none yet", get(RP + "/latest", 404, null, "No reproduction has completed yet", "POST /api/reproductions"));
        add(all, "get download: id with quotes and spaces", get(DL + "/dl-'%20OR%20'1'='1", 400, "id", "id must be an id such as dl-0123456789abcdef"));
        add(all, "get experiment: id over 64 characters", get(EX + "/ex-" + "0".repeat(100), 400, "id", "id must be an id such as dl-0123456789abcdef", "up to 64"));
        add(all, "get reproduction: id with markup", get(RP + "/rp-%3Cscript%3E", 400, "id", "id must be an id such as"));
        add(all, "get reproduction chart: name with markup", get(RP + "/rp-" + A_ID + "/charts/%3Cx%3E.svg", 400, "name", "name must be a chart name such as policy-time.svg"));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("a bad request gets a problem detail saying what to fix, and leaves nothing behind")
    void badRequest_problemDetailSayingWhatToFix_andNothingStoredOrStarted(Case c) throws Exception {
        List<Integer> storedBefore = stored();
        int machinesCreatedBefore = KERNEL.created.size();
        Set<String> machinesBefore = new TreeSet<>(KERNEL.machines.keySet());
        int downloadsStartedBefore = TLS_CLIENT.started.size();

        HttpResponse<String> response = send(c);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        assertThat(response.headers().firstValue("Content-Type")).as(response.body())
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(c.status());
        assertThat(problem.path("title").asString()).isNotBlank();
        String detail = problem.path("detail").asString();
        for (String part : c.detail()) {
            assertThat(detail).as(response.body()).contains(part);
        }
        if (c.field() != null) {
            assertThat(problem.path("errors").findValuesAsString("field")).as(response.body()).contains(c.field());
        }

        assertThat(stored()).as("downloads, experiments and reproductions stored").isEqualTo(storedBefore);
        assertThat(KERNEL.created).as("machines created").hasSize(machinesCreatedBefore);
        assertThat(KERNEL.machines.keySet()).as("machines alive").isEqualTo(machinesBefore);
        assertThat(TLS_CLIENT.started).as("downloads started on tls-client").hasSize(downloadsStartedBefore);
    }

    /** How many downloads, experiments and reproductions the gateway lists. */
    private List<Integer> stored() throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (String list : List.of(DL, EX, RP)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(list + "?limit=1000")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            counts.add(JSON.readTree(r.body()).size());
        }
        return counts;
    }

    private HttpResponse<String> send(Case c) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(c.path()));
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        if ("GET".equals(c.method())) {
            b.GET();
        } else {
            byte[] bytes = c.body().getBytes(StandardCharsets.UTF_8);
            b.POST(c.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                    : HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static void add(List<Arguments> all, String name, Case c) {
        all.add(Arguments.of(Named.of(name, c)));
    }

    private static Case post(String path, String body, int status, String field, String... detail) {
        return new Case("POST", path, "application/json", body, false, status, field, List.of(detail));
    }

    private static Case chunked(String path, String body, String... detail) {
        return new Case("POST", path, "application/json", body, true, 413, null, List.of(detail));
    }

    private static Case get(String path, int status, String field, String... detail) {
        return new Case("GET", path, null, null, false, status, field, List.of(detail));
    }

    private static String names(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> "\"" + prefix + i + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
