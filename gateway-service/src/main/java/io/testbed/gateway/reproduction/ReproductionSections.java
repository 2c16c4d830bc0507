package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.TimeSplit;

import java.util.List;
import java.util.Locale;

/**
 * The results page's reproduction sections that are new with issue 15, server-rendered HTML: where the
 * downloads' time went (chart and table, {@code #breakdown}), the sensitivity table ({@code #sensitivity})
 * and the figures against the real kernel ({@code #real-kernel}).
 */
public final class ReproductionSections {

    public static final String BREAKDOWN_CHART = Charts.BREAKDOWN;

    private ReproductionSections() {
    }

    /** robust, or fragile with the inputs that flip it; "not analysed" without a sensitivity run. */
    public static String robustness(Report.Claim c) {
        return MarkdownReport.robustness(c);
    }

    public static void breakdown(StringBuilder b, Report r, String chartHtml) {
        b.append("<section id=\"breakdown\">\n<h3>Where the time went</h3>\n");
        if (r.opening() != null) {
            b.append("<p id=\"opening\">").append(esc(r.opening())).append("</p>\n");
        }
        List<Report.Configuration> rows = r.configurations() == null ? List.of()
                : r.configurations().stream().filter(c -> c.time() != null).toList();
        if (rows.isEmpty()) {
            b.append("<p>No per-thread time split in this report.</p>\n</section>\n");
            return;
        }
        b.append("<figure id=\"breakdown-chart\">").append(chartHtml).append("<figcaption>Simulated seconds per download, by where they went")
                .append("</figcaption></figure>\n");
        List<String> parts = List.copyOf(rows.get(0).time().parts().keySet());
        b.append("<table id=\"breakdown-table\"><tr><th>configuration</th><th>commit</th><th>total (s)</th>");
        parts.forEach(p -> b.append("<th>").append(esc(p)).append("</th>"));
        b.append("</tr>\n");
        for (Report.Configuration c : rows) {
            TimeSplit t = c.time();
            b.append("<tr><td>").append(esc(c.label())).append("</td><td>").append(esc(c.commit())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.3f", t.total())).append("</td>");
            t.parts().values().forEach(v -> b.append(String.format(Locale.ROOT, "<td>%.3f (%.0f%%)</td>", v, t.total() > 0 ? 100 * v / t.total() : 0)));
            b.append("</tr>\n");
        }
        b.append("</table>\n</section>\n");
    }

    public static void sensitivity(StringBuilder b, Report r) {
        b.append("<section id=\"sensitivity-section\">\n<h3>Sensitivity</h3>\n");
        if (r.sensitivity() == null || r.sensitivity().isEmpty()) {
            b.append("<p>No sensitivity analysis in this report.</p>\n</section>\n");
            return;
        }
        b.append("<p>Each verdict judged again with one uncertain input moved to an end of its range (set <code>")
                .append(esc(r.sensitivitySet())).append("</code>); <span class=\"not\">flips</span> marks a changed verdict.</p>\n");
        b.append("<table id=\"sensitivity\"><tr><th>input</th><th>value</th>");
        r.claims().forEach(c -> b.append("<th>claim ").append(c.number()).append("</th>"));
        b.append("</tr>\n<tr><td>main run</td><td>-</td>");
        r.claims().forEach(c -> b.append("<td>").append(esc(c.verdict())).append("</td>"));
        b.append("</tr>\n");
        for (Report.SensitivityRow row : r.sensitivity()) {
            b.append("<tr><td>").append(esc(row.input())).append("</td><td>").append(esc(row.value())).append("</td>");
            for (int i = 0; i < row.verdicts().size() && i < r.claims().size(); i++) {
                boolean flips = !row.verdicts().get(i).equals(r.claims().get(i).verdict());
                b.append(flips ? "<td class=\"not flips\">" : "<td>").append(esc(row.verdicts().get(i))).append(flips ? " (flips)" : "").append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n</section>\n");
    }

    public static void realKernel(StringBuilder b, Report r) {
        if (r.againstRealKernel() == null || r.againstRealKernel().isEmpty()) {
            return;
        }
        b.append("<section id=\"real-kernel-section\">\n<h3>Against the real kernel</h3>\n<table id=\"real-kernel\"><tr><th>ref</th><th>what</th>")
                .append("<th>Akuma measured</th><th>the model</th><th>fitted on it</th><th>source</th></tr>\n");
        for (Report.RealFigure f : r.againstRealKernel()) {
            b.append("<tr><td>").append(esc(f.id())).append("</td><td>").append(esc(f.what())).append("</td><td>").append(esc(f.measured()))
                    .append("</td><td>").append(esc(f.model())).append("</td><td>").append(f.fitted() ? "yes" : "no").append("</td><td>")
                    .append(esc(f.source())).append("</td></tr>\n");
        }
        b.append("</table>\n</section>\n");
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
