package io.testbed.gateway.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.testbed.gateway.retention.Deletions;
import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadNotFoundException;
import io.testbed.gateway.download.DownloadService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.net.URI;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/api/downloads")
public class DownloadController {

    private final DownloadService downloads;
    private final Deletions deletions;

    public DownloadController(DownloadService downloads, Deletions deletions) {
        this.downloads = downloads;
        this.deletions = deletions;
    }

    @Operation(summary = "Delete an ended download", description = "Deletes the stored download and the machine the gateway created for it, if the kernel still has it.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "Not an id")
    @ApiResponse(responseCode = "404", description = "No such download")
    @ApiResponse(responseCode = "409", description = "The download is still running; the problem's state says so")
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        deletions.deleteDownload(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Start a download", description = "Creates a machine (unless the live clock with no settings"
            + " is asked for: then the kernel's default live machine is used), starts the TLS client on it and answers"
            + " at once; follow it with GET /api/downloads/{id}.")
    @ApiResponse(responseCode = "202", description = "Started; Location points at the download")
    @ApiResponse(responseCode = "400", description = "Invalid request, unknown repo/client/policy, or the kernel refused the profile or a setting")
    @ApiResponse(responseCode = "413", description = "A repository over testbed.downloads.max-repo-bytes")
    @ApiResponse(responseCode = "429", description = "testbed.downloads.max-running downloads are running already; Retry-After says when to retry")
    @ApiResponse(responseCode = "503", description = "A service the gateway needs is unreachable; the detail names it")
    @PostMapping(consumes = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, String>> start(@Valid @RequestBody DownloadRequest request) {
        Download download = downloads.start(request.toSpec());
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(download.id()).toUri();
        return ResponseEntity.accepted().location(location).body(Map.of("id", download.id(), "status", download.status().label()));
    }

    @Operation(summary = "Read a download: its status and, once ended, its figures and the machine's stats")
    @ApiResponse(responseCode = "404", description = "No such download")
    @GetMapping("/{id}")
    public DownloadView get(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        return downloads.find(id).map(DownloadView::of).orElseThrow(() -> new DownloadNotFoundException(id));
    }

    @Operation(summary = "The most recent downloads, newest first")
    @GetMapping
    public List<DownloadView> list(@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        return downloads.recent(limit).stream().map(DownloadView::of).toList();
    }
}
