package io.testbed.tls.client.web;

import io.testbed.tls.client.download.DownloadFixture;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.FailureReason;
import io.testbed.tls.client.transport.IoStatsFixture;
import io.testbed.tls.client.transport.SizeHistogram;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the JSON of {@code GET /api/downloads/{id}}, which the gateway's {@code TlsDownload} and the
 * scripts read by field name: the property names and values, whatever the records behind them.
 */
class DownloadViewJsonTest {
    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void finishedDownload_isOneFlatObjectWithPackAndFileIoNested() throws IOException {
        assertSameJson(DownloadView.of(DownloadFixture.finished(finished())), "finished.json");
    }

    @Test
    void failedBeforeStart_reportsZerosAndEmptyHistograms() throws IOException {
        assertSameJson(DownloadView.of(DownloadFixture.finished(failed())), "failed.json");
    }

    @Test
    void runningDownload_reportsTheLiveFigures() throws IOException {
        assertSameJson(DownloadView.of(DownloadFixture.running(IoStatsFixture.busy(), 900)), "running.json");
    }

    /** Same names, values and nesting as the pinned file (the order of properties is free). */
    private void assertSameJson(DownloadView view, String pinned) throws IOException {
        JsonNode actual = json.readTree(json.writeValueAsString(view));
        try (InputStream in = getClass().getResourceAsStream("/download-view/" + pinned)) {
            assertThat(actual).isEqualTo(json.readTree(in));
        }
    }

    static DownloadResult finished() {
        SizeHistogram.Snapshot records = new SizeHistogram.Snapshot(2, 400, 456.0, 512, Map.of("512", 2L));
        SizeHistogram.Snapshot reads = new SizeHistogram.Snapshot(3, 100, 300.0, 700, Map.of("1024", 3L));
        return new DownloadResult("succeeded", null, null, "ca", new DownloadResult.Timing(1003, 1004, 1005, 1012.5),
                new DownloadResult.Io(1001, 1002, 1009, 1010, 1011, 1014, records, reads),
                new DownloadResult.Waits(1006, 1007, 1008), new DownloadResult.CpuUse("zero", 1015),
                new DownloadResult.Tls("TLSv1.3", "TLS_AES_128_GCM_SHA256"), new DownloadResult.Pack("ab12", 13, true),
                new DownloadResult.Git("refs/heads/main", "c0ffee", List.of("Counting objects")),
                new DownloadResult.FileIo(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, true));
    }

    static DownloadResult failed() {
        return DownloadResult.failedBeforeStart(new FailureReason.ConfigurationException("CA file missing", null), "ca");
    }
}
