package io.testbed.gateway.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.testbed.gateway.retention.Deletions;
import io.testbed.gateway.reproduction.ReproductionNotFoundException;
import io.testbed.gateway.reproduction.ReproductionRequest;
import io.testbed.gateway.reproduction.ReproductionService;
import io.testbed.gateway.reproduction.ReproductionView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.MediaType;
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
import java.nio.charset.StandardCharsets;
import java.util.List;

@RestController
@RequestMapping("/api/reproductions")
public class ReproductionController {

    private final ReproductionService reproductions;
    private final Deletions deletions;

    public ReproductionController(ReproductionService reproductions, Deletions deletions) {
        this.reproductions = reproductions;
        this.deletions = deletions;
    }

    @Operation(summary = "Delete an ended reproduction", description = "Deletes the reproduction with its report, its charts, and its experiment and runs.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "Not an id")
    @ApiResponse(responseCode = "404", description = "No such reproduction")
    @ApiResponse(responseCode = "409", description = "The reproduction is still running; the problem's state says so")
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        deletions.deleteReproduction(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Reproduce the seed's claims", description = "Runs the seed's nine claims (0-8: the diagnosis that the 10 ms"
            + " would-block sleep made Akuma's download slow, the 10 vs 1 ms comparison, the impact estimate, thread 0's boost,"
            + " NETWORK_THREAD_RATIO 4 and 2, the immediate poll request, the idle timeout, the future-work ideas; the README's"
            + " reproduction table lists them, ClaimJudge judges each) on the virtual"
            + " clock as one experiment; when it ends, each claim is judged and the report and charts are stored. Follow it with"
            + " GET /api/reproductions/{id}. The body may be empty: pack-4m and pack-256k, scratch, modelled CPU,"
            + " 3 repetitions, seed 1, the reduced sensitivity set.")
    @ApiResponse(responseCode = "202", description = "Started; Location points at the reproduction")
    @PostMapping(consumes = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ReproductionView> start(@Valid @RequestBody(required = false) ReproductionRequest request) {
        ReproductionView view = reproductions.submit(request != null ? request : new ReproductionRequest(null, null, null, null, null, null));
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(view.id()).toUri();
        return ResponseEntity.accepted().location(location).body(view);
    }

    @Operation(summary = "Judge a completed reproduction again", description = "Applies the current rules to the stored figures"
            + " (no run is repeated) and rewrites the report and charts; 404 for an unknown or unfinished reproduction.")
    @PostMapping("/{id}/rejudge")
    public ReproductionView rejudge(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        return reproductions.rejudge(id).orElseThrow(() -> notFound(id));
    }

    @Operation(summary = "A reproduction: progress, then verdicts and links to the report and charts")
    @GetMapping("/{id}")
    public ReproductionView get(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        return reproductions.view(id).orElseThrow(() -> notFound(id));
    }

    @Operation(summary = "The latest completed reproduction")
    @GetMapping("/latest")
    public ReproductionView latest() {
        return reproductions.latest().orElseThrow(() -> new ReproductionNotFoundException(
                "No reproduction has completed yet; start one with POST /api/reproductions (or make reproduce)"));
    }

    @Operation(summary = "The most recent reproductions, newest first")
    @GetMapping
    public List<ReproductionView> list(@RequestParam(defaultValue = "20") @Min(1) @Max(1000) int limit) {
        return reproductions.recent(limit);
    }

    @Operation(summary = "The report as JSON (reports/reproduction.json)")
    @GetMapping(value = "/{id}/report.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> json(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        String body = reproductions.reportJson(id).orElseThrow(() -> notFound(id));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(require(id, body));
    }

    @Operation(summary = "The report as Markdown (reports/reproduction.md)")
    @GetMapping(value = "/{id}/report.md", produces = "text/markdown")
    public ResponseEntity<String> markdown(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        String body = reproductions.reportMarkdown(id).orElseThrow(() -> notFound(id));
        return ResponseEntity.ok().contentType(new MediaType("text", "markdown", StandardCharsets.UTF_8)).body(require(id, body));
    }

    @Operation(summary = "A chart of the report (SVG)")
    @GetMapping(value = "/{id}/charts/{name}", produces = "image/svg+xml")
    public ResponseEntity<String> chart(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id,
                                        @Pattern(regexp = ApiIds.ID, message = "must be a chart name such as policy-time.svg") @PathVariable String name) {
        String svg = reproductions.chart(id, name).orElseThrow(() -> new ReproductionNotFoundException(
                "Reproduction '" + id + "' has no chart '" + name + "' (it may not have completed yet)"));
        return ResponseEntity.ok().contentType(MediaType.valueOf("image/svg+xml")).body(svg);
    }

    private static String require(String id, String body) {
        if (body == null) {
            throw new ReproductionNotFoundException("Reproduction '" + id + "' has no report yet: it is still running or it failed"
                    + " (GET /api/reproductions/" + id + " says which)");
        }
        return body;
    }

    private static ReproductionNotFoundException notFound(String id) {
        return new ReproductionNotFoundException("No reproduction '" + id + "'; GET /api/reproductions lists them");
    }
}
