package io.testbed.gateway.reproduction;

import io.testbed.gateway.store.StoredJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed run the results page falls back to: read from reports/, charts only by the names it lists. */
class CommittedReportTest {

    @Test
    void readsTheCommittedReport_andOnlyTheChartsItNames(@TempDir Path dir) throws Exception {
        Report r = new Report("rp-committed", "ex-1", "pack-4m", "scratch", 2, 1, "modelled", 160, Instant.EPOCH, Instant.EPOCH, 1, 1, 0,
                "rule", List.of(new Report.Claim(1, "t", "w", "c", "r", "holds", List.of(), "f", "robust", List.of())), List.of(),
                List.of(new Report.Chart("breakdown.svg", "where the time went")), List.of(), List.of(), "reduced", List.of(), List.of(),
                "opening", 300, "pack-256k");
        Files.writeString(dir.resolve("reproduction.json"), StoredJson.write(r));
        Files.createDirectories(dir.resolve("charts"));
        Files.writeString(dir.resolve("charts/breakdown.svg"), "<svg></svg>");
        Files.writeString(dir.resolve("charts/other.svg"), "<svg>other</svg>");
        CommittedReport committed = new CommittedReport(dir.toString());

        Report read = committed.report().orElseThrow();
        assertThat(read.reproductionId()).isEqualTo("rp-committed");
        assertThat(read.claims()).singleElement().satisfies(c -> assertThat(c.robustness()).isEqualTo("robust"));
        assertThat(committed.chart(read, "breakdown.svg")).contains("<svg></svg>");
        assertThat(committed.chart(read, "other.svg")).isEmpty();
        assertThat(committed.chart(read, "../reproduction.json")).isEmpty();
    }

    @Test
    void noReport_isEmpty(@TempDir Path dir) throws Exception {
        assertThat(new CommittedReport(dir.toString()).report()).isEmpty();
        Files.writeString(dir.resolve("reproduction.json"), "not json");
        assertThat(new CommittedReport(dir.toString()).report()).isEmpty();
    }
}
