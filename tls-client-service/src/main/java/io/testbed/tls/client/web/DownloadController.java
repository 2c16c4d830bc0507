package io.testbed.tls.client.web;

import io.testbed.tls.client.download.Download;
import io.testbed.tls.client.download.DownloadRequest;
import io.testbed.tls.client.download.DownloadService;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.kernel.KernelTargets;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** The REST API the gateway calls (docs/ARCHITECTURE.md, "tls-client REST"). */
@RestController
@RequestMapping("/api")
public class DownloadController {
    private final DownloadService downloads;
    private final KernelTargets kernels;

    public DownloadController(DownloadService downloads, KernelTargets kernels) {
        this.downloads = downloads;
        this.kernels = kernels;
    }

    @GetMapping("/capabilities")
    public Map<String, List<String>> capabilities() {
        return Map.of("clients", TlsEngines.names(), "policies", WouldBlockPolicies.names(),
                "kernels", kernels.names(), "verify", List.of(ServerVerifier.CA, ServerVerifier.NONE));
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

    @GetMapping("/downloads")
    public List<DownloadView> recent(@RequestParam(defaultValue = "50") int limit) {
        return downloads.recent(Math.max(1, Math.min(limit, 1000))).stream().map(DownloadView::of).toList();
    }
}
