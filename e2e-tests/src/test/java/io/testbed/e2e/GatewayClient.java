package io.testbed.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small REST client for the gateway, as a user would drive it. */
final class GatewayClient {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    /** The bearer token for writes ({@code testbed.security.token}), or null: a gateway opened beyond loopback wants it. */
    private final String token;

    GatewayClient(String base) {
        this(base, null);
    }

    GatewayClient(String base, String token) {
        this.base = base;
        this.token = token;
    }

    record Response(int status, JsonNode body, String contentType) {
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), parse(r.body()), r.headers().firstValue("Content-Type").orElse(""));
    }

    Response get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), parse(r.body()), r.headers().firstValue("Content-Type").orElse(""));
    }

    /** Starts a download and waits until it is no longer running. */
    JsonNode download(String json, Duration timeout) throws IOException, InterruptedException {
        Response started = post("/api/downloads", json);
        if (started.status() != 202) {
            throw new AssertionError("POST /api/downloads " + json + " -> " + started.status() + " " + started.body());
        }
        String id = started.body().get("id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode d = get("/api/downloads/" + id).body();
            if (!"running".equals(d.path("status").asText())) {
                return d;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("download " + id + " still running after " + timeout);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return JSON.createObjectNode().put("raw", body);
        }
    }
}
