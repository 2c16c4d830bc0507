package io.testbed.gateway.tlsclient;

import io.testbed.gateway.DependencyUnavailableException;
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

/** Calls tls-client-service's REST API. */
@Component
public class TlsClient {

    static final String SERVICE = "tls-client-service";

    private final TlsClientProperties properties;
    private final JsonMapper json;
    private final HttpClient http;
    /** {@code Bearer <testbed.security.token>}, or null: tls-client wants it on writes when opened beyond loopback */
    private final String authorization;

    public TlsClient(TlsClientProperties properties, JsonMapper json, io.testbed.gateway.security.TokenProperties security) {
        this.properties = properties;
        this.json = json;
        String token = security.resolve();
        this.authorization = token == null ? null : new io.testbed.kernel.api.grpc.BearerToken(token).headerValue();
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
    }

    public Capabilities capabilities() {
        JsonNode body = send(HttpRequest.newBuilder(uri("/api/capabilities")).GET(), "read its capabilities");
        return new Capabilities(strings(body.path("clients")), strings(body.path("policies")), strings(body.path("cpu")));
    }

    /**
     * Asks tls-client whether it takes a would-block policy ({@code POST /api/policies/check}): null when
     * it does (or when it is an older tls-client without the check), else its detail naming the field and
     * the bound. tls-client is the one source of the policy bounds.
     */
    public String policyProblem(java.util.Map<String, Object> policy) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri("/api/policies/check"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(policy)));
        try {
            send(builder, "check a policy");
            return null;
        } catch (TlsClientRejectedException e) {
            return e.status() == 404 || e.status() == 405 ? null : e.getMessage();
        }
    }

    /** Starts a download and returns tls-client's id for it. */
    public String start(StartRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri("/api/downloads"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)));
        JsonNode body = send(builder, "start a download");
        String id = body.path("id").asString(null);
        if (id == null || id.isBlank()) {
            throw new DependencyUnavailableException(SERVICE, properties.url().toString(),
                    "its reply to POST /api/downloads has no id: " + body, null);
        }
        return id;
    }

    public TlsDownload status(String id) {
        JsonNode n = send(HttpRequest.newBuilder(uri("/api/downloads/" + URLEncoder.encode(id, StandardCharsets.UTF_8))).GET(),
                "read download " + id);
        JsonNode pack = n.path("pack");
        return new TlsDownload(text(n, "id"), text(n, "status"), number(n, "bytes"),
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

    private URI uri(String path) {
        String base = properties.url().toString();
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
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
