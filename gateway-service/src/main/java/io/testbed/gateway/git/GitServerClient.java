package io.testbed.gateway.git;

import io.testbed.gateway.common.DependencyUnavailableException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads git-http-server's repository list. */
@Component
public class GitServerClient {

    static final String SERVICE = "git-http-server";

    private final GitServerProperties properties;
    private final CaTrust trust;
    private final JsonMapper json;
    private SSLContext clientContext;
    private HttpClient client;

    public GitServerClient(GitServerProperties properties, CaTrust trust, JsonMapper json) {
        this.properties = properties;
        this.trust = trust;
        this.json = json;
    }

    /** The list exactly as git-http-server returns it. */
    public JsonNode repos() {
        URI uri = URI.create(stripSlash(properties.url().toString()) + "/api/repos");
        HttpResponse<String> response;
        try {
            response = client().send(HttpRequest.newBuilder(uri).timeout(properties.requestTimeout())
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unavailable("could not list repositories (" + reason(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while listing repositories", e);
        }
        if (response.statusCode() != 200) {
            throw unavailable("GET /api/repos answered " + response.statusCode(), null);
        }
        try {
            return json.readTree(response.body());
        } catch (JacksonException e) {
            throw unavailable("GET /api/repos did not answer JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Each repository's name and size in bytes, in the order listed: its {@code sizeBytes} (what it was
     * generated to), else its {@code packBytes}; null when the server does not say. Accepts a JSON array
     * of names or of objects with a {@code name}, or an object holding such an array under {@code repos}.
     */
    public Map<String, Long> repoSizes() {
        JsonNode list = repos();
        if (list.isObject()) {
            list = list.path("repos");
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (JsonNode repo : list) {
            String name = repo.isObject() ? repo.path("name").asString("") : repo.asString("");
            if (name.endsWith(".git")) {
                name = name.substring(0, name.length() - 4);
            }
            if (!name.isEmpty()) {
                sizes.put(name, repo.isObject() ? size(repo) : null);
            }
        }
        return sizes;
    }

    /**
     * Refuses a repository larger than {@code bound} bytes. A repository whose size the server does not
     * list passes (the git server itself caps generated repositories at 256 MiB).
     *
     * @throws RepoTooLargeException over the bound
     */
    public static void requireWithin(String repo, Long size, long bound) {
        if (size != null && size > bound) {
            throw new RepoTooLargeException(repo, size, bound);
        }
    }

    private static Long size(JsonNode repo) {
        for (String field : new String[] {"sizeBytes", "packBytes"}) {
            JsonNode n = repo.path(field);
            if (n.isIntegralNumber() && n.asLong() > 0) {
                return n.asLong();
            }
        }
        return null;
    }

    private synchronized HttpClient client() throws IOException {
        if (!"https".equalsIgnoreCase(properties.url().getScheme())) {
            if (client == null) {
                client = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
            }
            return client;
        }
        SSLContext context = trust.sslContext();
        if (client == null || context != clientContext) {
            client = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).sslContext(context).build();
            clientContext = context;
        }
        return client;
    }

    private DependencyUnavailableException unavailable(String reason, Throwable cause) {
        return new DependencyUnavailableException(SERVICE, properties.url().toString(),
                reason + "; is it running, and is testbed.git.url right?", cause);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
