package io.testbed.gateway.calibration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CalibrationReportsTest {

    @Test
    void noReport_saysHowToMakeOne(@TempDir Path dir) {
        CalibrationReports r = new CalibrationReports(dir.resolve("calibration.json").toString());
        assertThat(r.latest()).isEmpty();
        assertThat(r.html()).contains("make calibrate");
    }

    @Test
    void report_rendersEveryReference(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("calibration.json");
        Files.writeString(f, """
                {"parameters": {"timer.irq_latency_us": {"value": 2505}, "tcg_factor": {"value": 10.67}},
                 "references": [
                  {"id": "C1", "title": "hello <10 ms>", "source": "docs/X.md", "profile": "akuma-ca9339d", "commit": "ca9339d",
                   "unit": "ms", "measured": 11257, "model": 11256.9, "ratio": 1.0, "accepted": true, "fixes": "timer.irq_latency_us"},
                  {"id": "C2", "title": "hello 1 s", "source": "docs/Y.md", "profile": "akuma-ca9339d", "commit": "ca9339d",
                   "unit": "ms", "measured": 9001, "model": 12000, "ratio": 1.333, "accepted": false, "fixes": ""}]}
                """);
        CalibrationReports r = new CalibrationReports(f.toString());
        String html = r.html();
        assertThat(html).contains("timer.irq_latency_us = 2505", "TCG factor = 10.67", "<td>C1</td>", "hello &lt;10 ms&gt;",
                "akuma-ca9339d @ ca9339d", "11257.00 ms", "1.333", "class=\"not\">no", "validation");
    }

    @Test
    void notAReport_isIgnored(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("calibration.json");
        Files.writeString(f, "{\"something\": 1}");
        assertThat(new CalibrationReports(f.toString()).latest()).isEmpty();
        Files.writeString(f, "not json");
        assertThat(new CalibrationReports(f.toString()).latest()).isEmpty();
    }
}
