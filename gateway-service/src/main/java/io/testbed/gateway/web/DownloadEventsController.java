package io.testbed.gateway.web;

import io.testbed.gateway.DependencyUnavailableException;
import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadNotFoundException;
import jakarta.validation.constraints.Pattern;
import io.testbed.gateway.download.DownloadService;
import io.testbed.gateway.tlsclient.TlsClientProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A download's progress as server-sent events: the tls-client's stream for that download, relayed as
 * it comes (events {@code progress} every 64 KiB of pack with instantaneous and average speed in bytes
 * per simulated second, then {@code done}).
 */
@RestController
@RequestMapping("/api/downloads")
public class DownloadEventsController {
    private final DownloadService downloads;
    private final URI tlsClient;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DownloadEventsController(DownloadService downloads, TlsClientProperties tlsClient) {
        this.downloads = downloads;
        this.tlsClient = tlsClient.url();
    }

    @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<StreamingResponseBody> events(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        Download d = downloads.find(id).orElseThrow(() -> new DownloadNotFoundException(id));
        if (d.tlsClientId() == null) {
            throw new DownloadNotFoundException(id);
        }
        URI source = tlsClient.resolve("/api/downloads/" + d.tlsClientId() + "/events");
        InputStream upstream;
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(source).header("Accept", "text/event-stream")
                    .timeout(Duration.ofHours(1)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                throw new DependencyUnavailableException("tls-client-service", source.toString(),
                        "its event stream answered " + r.statusCode(), null);
            }
            upstream = r.body();
        } catch (IOException e) {
            throw new DependencyUnavailableException("tls-client-service", source.toString(), e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException("tls-client-service", source.toString(), "interrupted", e);
        }
        StreamingResponseBody body = out -> {
            try (InputStream in = upstream) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        };
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(body);
    }
}
