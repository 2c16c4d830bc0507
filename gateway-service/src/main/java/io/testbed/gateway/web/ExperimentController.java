package io.testbed.gateway.web;

import io.testbed.gateway.common.Status;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.testbed.gateway.retention.Deletions;
import io.testbed.gateway.experiment.ExperimentCsv;
import io.testbed.gateway.experiment.ExperimentNotFoundException;
import io.testbed.gateway.experiment.ExperimentTooLargeException;
import io.testbed.gateway.experiment.ExperimentService;
import io.testbed.gateway.experiment.ExperimentView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpHeaders;
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
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/api/experiments")
public class ExperimentController {

    private final ExperimentService experiments;
    private final Deletions deletions;

    public ExperimentController(ExperimentService experiments, Deletions deletions) {
        this.experiments = experiments;
        this.deletions = deletions;
    }

    @Operation(summary = "Delete an ended experiment", description = "Deletes the experiment with its runs, and any reproduction made of it with its report and charts.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "Not an id")
    @ApiResponse(responseCode = "404", description = "No such experiment")
    @ApiResponse(responseCode = "409", description = "The experiment is still running; the problem's state says so")
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        deletions.deleteExperiment(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Run an experiment matrix", description = "Checks the whole matrix (repos, clients, policies, every machine"
            + " on every kernel) before anything runs, stores it with all its runs and answers at once; the runs go on"
            + " virtual-clock machines, testbed.experiments.parallel-runs at a time, spread over the configured kernels.")
    @ApiResponse(responseCode = "202", description = "Accepted; Location points at the experiment")
    @ApiResponse(responseCode = "400", description = "Invalid matrix, unknown repo/client/policy, a machine the kernel refuses")
    @ApiResponse(responseCode = "413", description = "More runs than testbed.experiments.max-runs, or a repository over testbed.downloads.max-repo-bytes")
    @ApiResponse(responseCode = "429", description = "testbed.experiments.max-running experiments are running already; Retry-After says when to retry")
    @PostMapping(consumes = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> start(@Valid @RequestBody ExperimentRequest request) {
        long runs = request.runs();
        if (runs > experiments.properties().maxRuns()) {
            // refused before the matrix is expanded: a 16 KiB body can name millions of cells
            throw new ExperimentTooLargeException(runs, experiments.properties().maxRuns());
        }
        var plan = request.toPlan(experiments.properties().maxSimulatedSeconds());
        String id = experiments.submit(plan);
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(id).toUri();
        return ResponseEntity.accepted().location(location)
                .body(Map.of("id", id, "status", Status.RUNNING.label(), "runs", plan.totalRuns()));
    }

    @Operation(summary = "An experiment: progress, and per cell each run's figures and their median, min and max")
    @ApiResponse(responseCode = "404", description = "No such experiment")
    @GetMapping("/{id}")
    public ExperimentView get(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        return experiments.view(id).orElseThrow(() -> new ExperimentNotFoundException(id));
    }

    @Operation(summary = "One row per run (columns documented in gateway-service/README.md)")
    @GetMapping(value = "/{id}/results.csv", produces = "text/csv")
    public ResponseEntity<String> csv(@Pattern(regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) @PathVariable String id) {
        ExperimentView view = experiments.view(id).orElseThrow(() -> new ExperimentNotFoundException(id));
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + ".csv\"")
                .body(ExperimentCsv.of(view));
    }

    @Operation(summary = "The most recent experiments, newest first (without their cells)")
    @GetMapping
    public List<ExperimentView> list(@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        return experiments.recent(limit);
    }
}
