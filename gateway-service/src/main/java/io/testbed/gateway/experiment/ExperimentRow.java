package io.testbed.gateway.experiment;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

/** One row of {@code experiments}; {@code spec} is the {@link ExperimentPlan} as JSON. */
@Table("experiments")
record ExperimentRow(@Id String id, String name, String kind, String status, Instant createdAt, Instant finishedAt,
                     int totalRuns, String spec, String error) {

    ExperimentRow finished(String newStatus, Instant at, String why) {
        return new ExperimentRow(id, name, kind, newStatus, createdAt, at, totalRuns, spec, why);
    }
}
