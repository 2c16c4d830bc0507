package io.testbed.gateway.calibration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the latest calibration report from {@code testbed.calibration.report} (default
 * {@code reports/calibration.json}, written by {@code make calibrate}), and renders its references as
 * an HTML table. Reads the file on each call: a re-run shows without a restart.
 */
@Component
public class CalibrationReports {
    /** A report larger than this is refused (the real one is a few KiB). */
    static final long MAX_BYTES = 1 << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;

    public CalibrationReports(@Value("${testbed.calibration.report:reports/calibration.json}") String file) {
        this.file = Path.of(file);
    }

    /** The report, or empty when none has been written (or it cannot be read as a report). */
    public Optional<JsonNode> latest() {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            JsonNode n = JSON.readTree(Files.readString(file));
            return n.has("references") ? Optional.of(n) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The references table (measured, model, ratio, within goal, what each fixed), or a note when there is no report. */
    public String html() {
        Optional<JsonNode> report = latest();
        if (report.isEmpty()) {
            return "<p id=\"no-calibration\">No calibration report: run <code>make calibrate</code>.</p>\n";
        }
        JsonNode r = report.get();
        StringBuilder b = new StringBuilder("<p>Fitted: timer.irq_latency_us = ")
                .append(r.path("parameters").path("timer.irq_latency_us").path("value").asText())
                .append(" (C1), TCG factor = ").append(r.path("parameters").path("tcg_factor").path("value").asText())
                .append(" (C3). <a href=\"/api/calibration\">calibration (JSON)</a></p>\n")
                .append("<table id=\"calibration\"><tr><th>ref</th><th>what</th><th>profile @ commit</th><th>measured</th>")
                .append("<th>model</th><th>ratio</th><th>within</th><th>fixes</th><th>source</th></tr>\n");
        for (JsonNode ref : r.path("references")) {
            boolean ok = ref.path("accepted").asBoolean();
            b.append("<tr><td>").append(esc(ref.path("id").asText())).append("</td><td>").append(esc(ref.path("title").asText()))
                    .append("</td><td>").append(esc(ref.path("profile").asText())).append(" @ ").append(esc(ref.path("commit").asText()))
                    .append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.2f %s", ref.path("measured").asDouble(),
                            esc(ref.path("unit").asText())))
                    .append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.2f", ref.path("model").asDouble()))
                    .append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.3f", ref.path("ratio").asDouble()))
                    .append("</td><td class=\"").append(ok ? "holds\">yes" : "not\">no").append("</td><td>")
                    .append(esc(ref.path("fixes").asText().isEmpty() ? "validation" : ref.path("fixes").asText()))
                    .append("</td><td>").append(esc(ref.path("source").asText())).append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
