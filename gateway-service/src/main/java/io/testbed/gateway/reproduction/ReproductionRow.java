package io.testbed.gateway.reproduction;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

/** One row of {@code reproductions}; the report is kept as JSON and as Markdown, the charts in {@code charts}. */
@Table("reproductions")
record ReproductionRow(@Id String id, String experimentId, String status, Instant createdAt, Instant finishedAt,
                       String request, String reportJson, String reportMd, String error) {

    ReproductionRow ended(String newStatus, Instant at, String json, String md, String why) {
        return new ReproductionRow(id, experimentId, newStatus, createdAt, at, request, json, md, why);
    }
}
