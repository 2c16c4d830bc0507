package io.testbed.gateway.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * tls-client-service's REST API: capabilities {@code bc} / {@code sleep}; a started download
 * reports running once, then succeeded with fixed figures. A policy with {@code sleepMs} 4242 is
 * refused with a 400 problem detail, to test that the gateway passes the refusal on. While
 * {@link #hold} is set, every download reports running (to fill the gateway's bounds). A long poll for a
 * download's end ({@code ?waitMs=}) answers once the download has been read running once and is not held.
 */
public final class FakeTlsClient implements AutoCloseable {

    public static final int REFUSED_SLEEP_MS = 4242;

    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    public final List<JsonNode> started = new CopyOnWriteArrayList<>();
    /** The Authorization header of each POST /api/downloads (empty string when none): the gateway's bearer token. */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** While true, every download reports running. */
    public volatile boolean hold;
    /** The start of every id this fake hands out (two fakes as two replicas: an id is known to one of them only). */
    public volatile String idPrefix = "d-";
    /** Status reads received, by id. */
    public final Map<String, AtomicInteger> statusReads = new ConcurrentHashMap<>();

    public FakeTlsClient() throws IOException {
        this("{\"clients\":[\"bc\"],\"policies\":[\"sleep\"]}");
    }

    /** @param capabilities the body of {@code GET /api/capabilities} */
    public FakeTlsClient(String capabilities) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/capabilities", ex -> reply(ex, 200, capabilities));
        server.createContext("/api/downloads", this::downloads);
        server.createContext("/api/policies/check", this::checkPolicy);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-tls-client");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** tls-client's policy check: refuses {@link #REFUSED_SLEEP_MS} as its download start does. */
    private void checkPolicy(HttpExchange ex) throws IOException {
        JsonNode body = json.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        policyChecks.add(body);
        if (body.path("sleepMs").asInt() == REFUSED_SLEEP_MS) {
            reply(ex, 400, "{\"status\":400,\"title\":\"Bad Request\",\"detail\":\"sleepMs 4242 is not allowed here\"}");
            return;
        }
        reply(ex, 200, "{\"label\":\"ok\"}");
    }

    /** The policies the gateway asked tls-client to check. */
    public final List<JsonNode> policyChecks = new CopyOnWriteArrayList<>();

    /** Event streams open on this fake (the gateway's relays' upstream ends). */
    public final AtomicInteger eventsOpen = new AtomicInteger();
    /** How long an event stream holds its response headers (a download before its first progress event). */
    public volatile long eventsHeaderDelayMs = 60_000;

    /**
     * A download's event stream: no headers for {@link #eventsHeaderDelayMs}, then a comment every 100 ms,
     * until the reader went away (the write fails) or 60 s.
     */
    private void events(HttpExchange ex) throws IOException {
        eventsOpen.incrementAndGet();
        try {
            long until = System.nanoTime() + eventsHeaderDelayMs * 1_000_000L;
            while (System.nanoTime() < until) {
                Thread.sleep(50);
                if (eventsHeaderDelayMs == 0) {
                    break;
                }
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            long end = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < end) {
                ex.getResponseBody().write(": tick\n\n".getBytes(StandardCharsets.UTF_8));
                ex.getResponseBody().flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException gone) {
            // the gateway closed its upstream request
        } finally {
            eventsOpen.decrementAndGet();
            ex.close();
        }
    }

    private void downloads(HttpExchange ex) throws IOException {
        if (ex.getRequestURI().getPath().endsWith("/events")) {
            events(ex);
            return;
        }
        if ("POST".equals(ex.getRequestMethod())) {
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "" : authorization);
            JsonNode body = json.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            started.add(body);
            if (body.path("policy").path("sleepMs").asInt() == REFUSED_SLEEP_MS) {
                reply(ex, 400, "{\"status\":400,\"title\":\"Bad Request\",\"detail\":\"sleepMs 4242 is not allowed here\"}");
                return;
            }
            String id = idPrefix + ids.incrementAndGet();
            polls.put(id, new AtomicInteger());
            reply(ex, 202, "{\"id\":\"" + id + "\",\"status\":\"running\"}");
            return;
        }
        String id = ex.getRequestURI().getPath().substring("/api/downloads/".length());
        AtomicInteger n = polls.get(id);
        String query = ex.getRequestURI().getQuery();
        if (n != null && query != null && query.startsWith("waitMs=")) {
            endWait(ex, id, n, Long.parseLong(query.substring("waitMs=".length())));
            return;
        }
        statusReads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (n == null) {
            reply(ex, 404, "{\"status\":404,\"detail\":\"no download " + id + "\"}");
        } else if (hold || n.getAndIncrement() == 0) {
            reply(ex, 200, running(id));
        } else {
            reply(ex, 200, succeeded(id));
        }
    }

    /** Long polls for a download's end received ({@code GET /api/downloads/{id}?waitMs=}), by id. */
    public final Map<String, AtomicInteger> endWaits = new ConcurrentHashMap<>();

    /**
     * tls-client's long poll: answers once the download has ended (here: it was read running once and is not
     * held), or after {@code waitMs} with its running state. It reads the state without counting as a poll.
     */
    private void endWait(HttpExchange ex, String id, AtomicInteger n, long waitMs) throws IOException {
        endWaits.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        long until = System.nanoTime() + waitMs * 1_000_000L;
        try {
            while (hold || n.get() == 0) {
                if (System.nanoTime() >= until) {
                    reply(ex, 200, running(id));
                    return;
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reply(ex, 200, succeeded(id));
    }

    private static String running(String id) {
        return "{\"id\":\"" + id + "\",\"status\":\"running\",\"bytes\":1000}";
    }

    private static String succeeded(String id) {
        return "{\"id\":\"" + id + "\",\"status\":\"succeeded\",\"repo\":\"pack-4m\",\"bytes\":4000000,"
                + "\"pack\":{\"sha1\":\"0123456789abcdef0123456789abcdef01234567\",\"objects\":12,\"verified\":true},"
                + "\"simulatedNs\":2000000000,\"wallNs\":500000000,\"handshakeNs\":30000000,\"wouldBlocks\":700,"
                + "\"sleeps\":700,\"sleepNs\":700000000,\"reads\":1500,\"tlsRecords\":260,\"futureField\":1}";
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
