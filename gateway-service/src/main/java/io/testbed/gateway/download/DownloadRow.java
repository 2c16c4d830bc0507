package io.testbed.gateway.download;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

/** One row of {@code downloads}: the {@link Download} as a JSON document, with its status and start time beside it. */
@Table("downloads")
record DownloadRow(@Id String id, String status, Instant startedAt, String document) {
}
