package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.ExperimentView;

import java.time.Instant;
import java.util.List;

/**
 * A reproduction as {@code GET /api/reproductions/{id}} shows it: its progress while it runs, the
 * verdicts and links to the report and charts once it completed.
 */
public record ReproductionView(String id, String status, String experimentId, Instant createdAt, Instant finishedAt,
                               ReproductionRequest request, ExperimentView.Progress progress, List<Verdict> verdicts,
                               String error, Links links) {

    public record Verdict(int number, String title, String verdict, String finding) {
    }

    public record Links(String reportMarkdown, String reportJson, List<String> charts, String page) {
    }
}
