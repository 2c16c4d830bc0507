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
import org.springframework.web.context.request.async.DeferredResult;
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
    public Map<String, Object> capabilities() {
        return Map.of("clients", io.testbed.tls.client.download.Clients.names(), "policies", WouldBlockPolicies.names(),
                "kernels", kernels.names(), "verify", List.of(ServerVerifier.CA, ServerVerifier.NONE),
                "cpu", UserCpuModes.NAMES, "protocols", FetchOptions.PROTOCOLS,
                "policyBounds", WouldBlockPolicies.bounds());
    }

    /**
     * Checks a would-block policy as {@code POST /api/downloads} would, without starting anything: 200
     * with its effective parameters and label, or 400 naming the field and its bound. The gateway asks
     * this for every policy of an experiment before accepting it, so the bounds live in one place.
     */
    @PostMapping(value = "/policies/check", consumes = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> checkPolicy(@RequestBody io.testbed.tls.client.policy.PolicySpec spec) {
        io.testbed.tls.client.policy.WouldBlockPolicy policy;
        try {
            policy = WouldBlockPolicies.create(spec);
        } catch (io.testbed.tls.client.policy.InvalidPolicyException e) {
            throw new io.testbed.tls.client.download.InvalidDownloadException(e.field(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new io.testbed.tls.client.download.InvalidDownloadException("policy.type", e.getMessage());
        }
        return Map.of("effective", policy.effective(), "label", policy.label());
    }

    @PostMapping("/downloads")
    public ResponseEntity<Map<String, String>> start(@RequestBody DownloadRequest request) {
        Download d = downloads.start(request);
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/downloads/" + d.id()))
                .body(Map.of("id", d.id(), "status", Download.RUNNING));
    }

    /** The longest {@code waitMs} a status request may wait for the download's end. */
    static final long MAX_WAIT_MS = 60_000;

    @GetMapping("/downloads/{id}")
    public DownloadView get(@PathVariable String id) {
        return DownloadView.of(find(id));
    }

    /**
     * A download's state once it has ended, or after {@code waitMs} (0..{@value #MAX_WAIT_MS}) if it still runs then,
     * whichever comes first (a long poll: the gateway learns of the end at once instead of at its next poll); no
     * thread waits meanwhile. A plain status request (no {@code waitMs}) stays synchronous.
     */
    @GetMapping(value = "/downloads/{id}", params = "waitMs")
    public DeferredResult<DownloadView> getWhenEnded(@PathVariable String id, @RequestParam long waitMs) {
        if (waitMs < 0 || waitMs > MAX_WAIT_MS) {
            throw new io.testbed.tls.client.download.InvalidDownloadException("waitMs",
                    "waitMs must be 0.." + MAX_WAIT_MS + " (ms to wait for the download's end), got " + waitMs);
        }
        Download d = find(id);
        DeferredResult<DownloadView> answer = new DeferredResult<>(waitMs > 0 ? waitMs : null);
        if (waitMs == 0 || !Download.RUNNING.equals(d.status())) {
            answer.setResult(DownloadView.of(d));
            return answer;
        }
        java.util.function.Consumer<io.testbed.tls.client.download.DownloadResult> ended = r -> answer.setResult(DownloadView.of(d));
        answer.onTimeout(() -> answer.setResult(DownloadView.of(d)));
        answer.onCompletion(() -> d.removeFinishListener(ended));
        d.onFinish(ended);
        return answer;
    }

    private Download find(String id) {
        return downloads.get(id).orElseThrow(() -> new DownloadNotFoundException(id));
    }

    /** The latest progress report (pack bytes, speeds in bytes and KiB per simulated second). */
    @GetMapping("/downloads/{id}/progress")
    public Map<String, Object> progress(@PathVariable String id) {
        Download d = find(id);
        Map<String, Object> m = ProgressEvents.progress(d, d.progress().latest());
        m.put("status", d.status());
        return m;
    }

    /** Server-sent events: {@code progress} every 64 KiB, then {@code done} (format in {@link ProgressEvents}). */
    @GetMapping(path = "/downloads/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@PathVariable String id) {
        Download d = find(id);
        return events.subscribe(d);
    }

    @GetMapping("/downloads")
    public List<DownloadView> recent(@RequestParam(defaultValue = "50") int limit) {
        return downloads.recent(Math.max(1, Math.min(limit, 1000))).stream().map(DownloadView::of).toList();
    }
}
