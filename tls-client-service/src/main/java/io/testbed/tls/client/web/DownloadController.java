package io.testbed.tls.client.web;

import io.testbed.tls.client.cpu.UserCpuModes;
import io.testbed.tls.client.download.Download;
import io.testbed.tls.client.download.DownloadRequest;
import io.testbed.tls.client.download.DownloadService;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.kernel.KernelTargets;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** The REST API the gateway calls (docs/ARCHITECTURE.md, "tls-client REST"). */
@RestController
@RequestMapping("/api")
public class DownloadController {
    private final DownloadService downloads;
    private final KernelTargets kernels;
    private final ProgressEvents events;

    public DownloadController(DownloadService downloads, KernelTargets kernels, ProgressEvents events) {
        this.downloads = downloads;
        this.kernels = kernels;
        this.events = events;
    }

    @GetMapping("/capabilities")
    public Map<String, List<String>> capabilities() {
        return Map.of("clients", io.testbed.tls.client.download.Clients.names(), "policies", WouldBlockPolicies.names(),
                "kernels", kernels.names(), "verify", List.of(ServerVerifier.CA, ServerVerifier.NONE),
                "cpu", UserCpuModes.NAMES, "protocols", FetchOptions.PROTOCOLS);
    }

    @PostMapping("/downloads")
    public ResponseEntity<Map<String, String>> start(@RequestBody DownloadRequest request) {
        Download d = downloads.start(request);
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/downloads/" + d.id()))
                .body(Map.of("id", d.id(), "status", Download.RUNNING));
    }

    @GetMapping("/downloads/{id}")
    public DownloadView get(@PathVariable String id) {
        return downloads.get(id).map(DownloadView::of).orElseThrow(() -> new DownloadNotFoundException(id));
    }

    /** The latest progress report (pack bytes, speeds in bytes and KiB per simulated second). */
    @GetMapping("/downloads/{id}/progress")
    public Map<String, Object> progress(@PathVariable String id) {
        Download d = downloads.get(id).orElseThrow(() -> new DownloadNotFoundException(id));
        Map<String, Object> m = ProgressEvents.progress(d, d.progress().latest());
        m.put("status", d.status());
        return m;
    }

    /** Server-sent events: {@code progress} every 64 KiB, then {@code done} (format in {@link ProgressEvents}). */
    @GetMapping(path = "/downloads/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@PathVariable String id) {
        Download d = downloads.get(id).orElseThrow(() -> new DownloadNotFoundException(id));
        return events.subscribe(d);
    }

    @GetMapping("/downloads")
    public List<DownloadView> recent(@RequestParam(defaultValue = "50") int limit) {
        return downloads.recent(Math.max(1, Math.min(limit, 1000))).stream().map(DownloadView::of).toList();
    }
}
