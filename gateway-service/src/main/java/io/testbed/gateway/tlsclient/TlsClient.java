package io.testbed.gateway.tlsclient;

import io.testbed.gateway.common.DependencyUnavailableException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls tls-client-service's REST API: at {@code testbed.tls-client.url}, or, with
 * {@code testbed.tls-client.discovery-dns}, on the replicas that name resolves to, in turn. A replica keeps
 * the downloads it started in its own memory, so with discovery the id this class returns for a download
 * names the replica too ({@code <tls-client's id>@<address:port>}) and every later call about it goes there;
 * {@link #localId} gives tls-client's own id back, which is also the owner its simulated thread is attached with
 * ({@code Attach.owner}).
 */
@Component
public class TlsClient {

    static final String SERVICE = "tls-client-service";
    private static final char REPLICA = '@';

    private final TlsClientProperties properties;
    private final JsonMapper json;
    private final HttpClient http;
    private final io.testbed.gateway.discovery.AddressResolver resolver;
    private final java.util.concurrent.atomic.AtomicLong turn = new java.util.concurrent.atomic.AtomicLong();
    private volatile List<String> replicas = List.of();
    private volatile long resolvedAtNanos;
    /** {@code Bearer <testbed.security.token>}, or null: tls-client wants it on writes when opened beyond loopback */
    private final String authorization;

    @org.springframework.beans.factory.annotation.Autowired
    public TlsClient(TlsClientProperties properties, JsonMapper json, io.testbed.gateway.discovery.AddressResolver resolver,
                     io.testbed.web.security.TokenProperties security) {
        this.properties = properties;
        this.json = json;
        this.resolver = resolver;
        String token = security == null ? null : security.resolve();
        this.authorization = token == null ? null : new io.testbed.kernel.api.grpc.BearerToken(token).headerValue();
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
    }

    /** tls-client's own id of a download whose id this class returned. */
    public static String localId(String id) {
        int at = id == null ? -1 : id.indexOf(REPLICA);
        return at < 0 ? id : id.substring(0, at);
    }

    /** Where the server-sent events of download {@code id} (as {@link #start} returned it) are. */
    URI eventsUri(String id) {
        return uri(replicaOf(id), "/api/downloads/" + URLEncoder.encode(localId(id), StandardCharsets.UTF_8) + "/events");
    }

    /**
     * Opens the server-sent events of download {@code id} (as {@link #start} returned it) on the replica that runs
     * it, without waiting: the future completes when tls-client has answered with its headers (or could not be
     * reached), the body then comes as tls-client writes it, and cancelling the subscription ends the request.
     *
     * @param timeout how long the whole stream may last
     */
    public java.util.concurrent.CompletableFuture<HttpResponse<java.util.concurrent.Flow.Publisher<List<java.nio.ByteBuffer>>>> events(
            String id, java.time.Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(eventsUri(id)).header("Accept", "text/event-stream").timeout(timeout).GET();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofPublisher());
    }

    public Capabilities capabilities() {
        JsonNode body = send(HttpRequest.newBuilder(uri(pickReplica(), "/api/capabilities")).GET(), "read its capabilities");
        return new Capabilities(strings(body.path("clients")), strings(body.path("policies")), strings(body.path("cpu")));
    }

    /**
     * Asks tls-client whether it takes a would-block policy ({@code POST /api/policies/check}): null when
     * it does (or when it is an older tls-client without the check), else its detail naming the field and
     * the bound. tls-client is the one source of the policy bounds.
     */
    public String policyProblem(java.util.Map<String, Object> policy) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pickReplica(), "/api/policies/check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(policy)));
        try {
            send(builder, "check a policy");
            return null;
        } catch (TlsClientRejectedException e) {
            return e.status() == 404 || e.status() == 405 ? null : e.getMessage();
        }
    }

    /** Starts a download and returns the id to follow it by (tls-client's, and with discovery the replica's address). */
    public String start(StartRequest request) {
        String replica = pickReplica();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(replica, "/api/downloads"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)));
        JsonNode body = send(builder, "start a download");
        String id = body.path("id").asString(null);
        if (id == null || id.isBlank()) {
            throw new DependencyUnavailableException(SERVICE, properties.url().toString(),
                    "its reply to POST /api/downloads has no id: " + body, null);
        }
        return replica == null ? id : id + REPLICA + replica;
    }

    public TlsDownload status(String id) {
        return download(id, send(HttpRequest.newBuilder(statusUri(id, 0)).GET(), "read download " + id));
    }

    private URI statusUri(String id, long waitMs) {
        return uri(replicaOf(id), "/api/downloads/" + URLEncoder.encode(localId(id), StandardCharsets.UTF_8) + (waitMs > 0 ? "?waitMs=" + waitMs : ""));
    }

    /**
     * Asks tls-client for download {@code id}'s state once it has ended, or after {@code wait} (at most 60 s) if it
     * still runs then (a long poll), without holding a thread meanwhile. The future completes with the state, or
     * exceptionally if tls-client could not be reached or refused (an older tls-client that does not wait answers
     * at once: the caller sees a running download and must not ask again in a loop).
     */
    public java.util.concurrent.CompletableFuture<TlsDownload> whenEnded(String id, java.time.Duration wait) {
        long waitMs = Math.max(1, Math.min(60_000, wait.toMillis()));
        HttpRequest.Builder builder = HttpRequest.newBuilder(statusUri(id, waitMs)).GET()
                .timeout(properties.requestTimeout().plusMillis(waitMs)).header("Accept", "application/json");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new TlsClientRejectedException(response.statusCode(), detail(response.body(),
                        "tls-client-service answered " + response.statusCode() + " to GET " + response.uri().getPath()));
            }
            return download(id, json.readTree(response.body()));
        });
    }

    private static TlsDownload download(String id, JsonNode n) {
        JsonNode pack = n.path("pack");
        return new TlsDownload(id, text(n, "status"), number(n, "bytes"),
                pack.isObject() ? new TlsDownload.Pack(text(pack, "sha1"), number(pack, "objects"),
                        pack.path("verified").isBoolean() ? pack.path("verified").booleanValue() : null) : null,
                number(n, "simulatedNs"), number(n, "wallNs"), number(n, "handshakeNs"), number(n, "wouldBlocks"),
                number(n, "sleeps"), number(n, "sleepNs"), number(n, "reads"), number(n, "tlsRecords"),
                text(n, "error") != null ? text(n, "error") : text(n, "reason"), fileIo(n.path("fileIo")));
    }

    /** tls-client's {@code fileIo} (client scratch), or null. */
    private static TlsDownload.FileIo fileIo(JsonNode f) {
        if (!f.isObject()) {
            return null;
        }
        return new TlsDownload.FileIo(number(f, "fileSyscalls"), number(f, "fileBytesRead"), number(f, "fileBytesWritten"),
                number(f, "fsNs"), number(f, "consoleWrites"), number(f, "consoleBytes"), number(f, "mmaps"),
                number(f, "mmapBytes"), number(f, "objectsWritten"), number(f, "filesCheckedOut"), number(f, "downloadNs"),
                number(f, "packReadNs"), number(f, "unpackNs"), number(f, "checkoutNs"),
                f.path("readBackMatches").isBoolean() ? f.path("readBackMatches").booleanValue() : null);
    }

    private JsonNode send(HttpRequest.Builder builder, String what) {
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.timeout(properties.requestTimeout()).header("Accept", "application/json").build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("could not " + what + " (" + reason(e) + "); is it running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while trying to " + what, e);
        }
        int status = response.statusCode();
        if (status >= 400 && status < 500) {
            throw new TlsClientRejectedException(status, detail(response.body(), "tls-client-service answered " + status + " to " + request.method() + " " + request.uri().getPath()));
        }
        if (status >= 300) {
            throw unavailable("it answered " + status + " when asked to " + what + ": " + detail(response.body(), "no detail"), null);
        }
        try {
            return json.readTree(response.body());
        } catch (JacksonException e) {
            throw unavailable("its reply when asked to " + what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private String detail(String body, String fallback) {
        try {
            JsonNode problem = json.readTree(body);
            String detail = text(problem, "detail");
            return detail != null ? detail : fallback;
        } catch (JacksonException | IllegalArgumentException e) {
            return fallback;
        }
    }

    private DependencyUnavailableException unavailable(String reason, Throwable cause) {
        return new DependencyUnavailableException(SERVICE, properties.url().toString(),
                reason + " (set testbed.tls-client.url if it runs elsewhere)", cause);
    }

    private URI uri(String replica, String path) {
        String base = replica == null ? properties.url().toString() : properties.url().getScheme() + "://" + replica;
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
    }

    private static String replicaOf(String id) {
        int at = id == null ? -1 : id.indexOf(REPLICA);
        return at < 0 ? null : id.substring(at + 1);
    }

    /** The next replica in turn (null: {@code url}, discovery off); the name is resolved again once its answer is stale. */
    private String pickReplica() {
        if (properties.discoveryDns().isEmpty()) {
            return null;
        }
        long now = System.nanoTime();
        List<String> current = replicas;
        if (current.isEmpty() || now - resolvedAtNanos > properties.discoveryRefresh().toNanos()) {
            try {
                current = resolver.resolve(properties.discoveryDns(), properties.discoveryPort());
            } catch (java.net.UnknownHostException e) {
                current = List.of();
            }
            replicas = current;
            resolvedAtNanos = now;
        }
        if (current.isEmpty()) {
            throw new DependencyUnavailableException(SERVICE, properties.discoveryDns() + ":" + properties.discoveryPort(),
                    "no tls-client replica behind " + properties.discoveryDns() + " (testbed.tls-client.discovery-dns)", null);
        }
        return current.get((int) Math.floorMod(turn.getAndIncrement(), (long) current.size()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.isObject() ? v.path("name").asString() : v.asString()));
        return values;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static Long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            return null;
        }
        return v.isIntegralNumber() ? v.longValue() : Math.round(v.doubleValue());
    }

    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
