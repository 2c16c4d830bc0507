package io.testbed.gateway.web;

import io.testbed.gateway.fakes.FakeGitServer;
import io.testbed.gateway.fakes.FakeTlsClient;
import io.testbed.gateway.fakes.Fakes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 2: the event-stream relay sends its headers at once (before tls-client has), notices
 * a client that went away within a heartbeat and cancels its upstream, is bounded per download and in
 * total (429 with Retry-After), and ends at once when the gateway shuts down. Clients are raw sockets,
 * so a close is a real TCP close.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.events.max-relays=3", "testbed.events.max-per-download=2", "testbed.events.heartbeat=300ms"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventRelayTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final Fakes.Own FAKES = Fakes.own(FakeGitServer.REPOS_WITH_SIZES, null);
    static final FakeTlsClient TLS_CLIENT = FAKES.tlsClient();

    @LocalServerPort
    int port;
    @Autowired
    DownloadEventsController relays;
    @Autowired
    Environment env;
    @Autowired
    ConfigurableApplicationContext context;

    private final List<Socket> sockets = new ArrayList<>();

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        FAKES.register(registry);
    }

    @AfterAll
    static void closeFakes() throws Exception {
        FAKES.close();
    }

    @AfterEach
    void closeSockets() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
        await(() -> relays.openRelays(), 0, "relays closed after the test");
    }

    @Test
    @Order(1)
    void headersGoOutAtOnce_beforeTlsClientAnswers_andAClosedClientIsNoticedWithinAHeartbeat() throws Exception {
        TLS_CLIENT.hold = true;
        TLS_CLIENT.eventsHeaderDelayMs = 60_000;
        String id = download();
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            Socket s = openRelay(id);
            String head = readHead(s);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to the headers").isLessThan(2_000);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/event-stream");
            clients.add(s);
        }
        assertThat(relays.openRelays()).isEqualTo(2);
        for (Socket s : clients) {
            s.close();
        }
        await(() -> relays.openRelays(), 0, "both relays released after their clients closed");
    }

    @Test
    @Order(2)
    void aClosedClient_releasesTheUpstreamStreamToo() throws Exception {
        TLS_CLIENT.hold = true;
        TLS_CLIENT.eventsHeaderDelayMs = 0;
        String id = download();
        Socket s = openRelay(id);
        assertThat(readHead(s)).startsWith("HTTP/1.1 200");
        await(TLS_CLIENT.eventsOpen::get, 1, "the upstream event stream open");
        s.close();
        await(() -> relays.openRelays(), 0, "the relay released");
        await(TLS_CLIENT.eventsOpen::get, 0, "the upstream event stream closed");
    }

    @Test
    @Order(3)
    void relaysAreBoundedPerDownloadAndInTotal_429WithRetryAfter() throws Exception {
        TLS_CLIENT.hold = true;
        TLS_CLIENT.eventsHeaderDelayMs = 60_000;
        String a = download();
        String b = download();
        readHead(openRelay(a));
        readHead(openRelay(a));
        JsonNode perDownload = tooMany(a);
        assertThat(perDownload.path("setting").asString()).isEqualTo("testbed.events.max-per-download");
        readHead(openRelay(b));
        JsonNode total = tooMany(b);
        assertThat(total.path("setting").asString()).isEqualTo("testbed.events.max-relays");
        assertThat(relays.openRelays()).isEqualTo(3);
        for (Socket s : sockets) {
            s.close();
        }
        await(() -> relays.openRelays(), 0, "relays released");
        readHead(openRelay(b));
        assertThat(relays.openRelays()).isEqualTo(1);
    }

    @Test
    @Order(4)
    @DirtiesContext
    void shutdownIsGraceful_andEndsEveryRelayAtOnce() throws Exception {
        assertThat(env.getProperty("server.shutdown")).isEqualTo("graceful");
        assertThat(Duration.parse("PT" + env.getProperty("spring.lifecycle.timeout-per-shutdown-phase").toUpperCase()))
                .isLessThanOrEqualTo(Duration.ofSeconds(10));
        TLS_CLIENT.hold = true;
        TLS_CLIENT.eventsHeaderDelayMs = 0;
        Socket s = openRelay(download());
        assertThat(readHead(s)).startsWith("HTTP/1.1 200");
        long t0 = System.nanoTime();
        relays.onApplicationEvent(new ContextClosedEvent(context));
        String rest = readToEndOfChunkedBody(s, 5_000);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to the end of the stream").isLessThan(2_000);
        assertThat(rest).contains("the relay ended");
        await(() -> relays.openRelays(), 0, "relay released");
    }

    // ---- helpers ----

    private String download() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/downloads"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"repo\":\"pack-256k\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("id").asString();
    }

    private JsonNode tooMany(String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/downloads/" + id + "/events"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        return JSON.readTree(r.body());
    }

    private Socket openRelay(String id) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(3_000);
        s.getOutputStream().write(("GET /api/downloads/" + id + "/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        sockets.add(s);
        return s;
    }

    private static String readHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
            int c;
            try {
                c = in.read();
            } catch (SocketTimeoutException e) {
                StringBuilder dump = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, st) -> {
                    if (java.util.Arrays.stream(st).anyMatch(f -> f.getClassName().contains("DownloadEvents") || f.getClassName().contains("StreamingResponseBody"))) {
                        dump.append(t.getName()).append(' ').append(t.getState()).append('\n');
                        for (int i = 0; i < Math.min(40, st.length); i++) {
                            dump.append("    ").append(st[i]).append('\n');
                        }
                    }
                });
                throw new AssertionError("no response head within the socket timeout; got '" + b + "'\n" + dump, e);
            }
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Reads until the chunked body's last chunk (or EOF); fails if neither comes within {@code ms}. */
    private static String readToEndOfChunkedBody(Socket s, int ms) throws IOException {
        s.setSoTimeout(ms);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n0\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                b.write(c);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the stream did not end within " + ms + " ms: " + b.toString(StandardCharsets.US_ASCII));
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static void await(IntSupplier value, int expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (value.getAsInt() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what + " (value " + value.getAsInt() + ", expected " + expected + ")");
            }
            Thread.sleep(20);
        }
    }
}
