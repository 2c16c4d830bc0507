package io.testbed.gateway.web;

import io.testbed.gateway.common.Status;
import io.swagger.v3.oas.annotations.Operation;
import io.testbed.gateway.experiment.ExperimentNotFoundException;
import io.testbed.gateway.experiment.ExperimentService;
import io.testbed.gateway.experiment.ExperimentView;
import io.testbed.gateway.experiment.Summary;
import io.testbed.gateway.reproduction.Report;
import io.testbed.gateway.reproduction.ReproductionSections;
import io.testbed.gateway.reproduction.ReproductionService;
import io.testbed.gateway.reproduction.ReproductionView;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results page ({@code /results}): the latest completed reproduction (or the one asked for) with
 * its verdicts, claims, charts and configurations, the recent experiments, and one experiment's cells
 * with their summaries. Rendered on the server, so it needs no script and reads the same in a browser,
 * in {@code curl} and in a headless browser's DOM dump.
 */
@Controller
public class ResultsPageController {

    private final ReproductionService reproductions;
    private final ExperimentService experiments;

    private final io.testbed.gateway.reproduction.CommittedReport committed;

    public ResultsPageController(ReproductionService reproductions, ExperimentService experiments,
                                 io.testbed.gateway.reproduction.CommittedReport committed) {
        this.reproductions = reproductions;
        this.experiments = experiments;
        this.committed = committed;
    }

    private io.testbed.gateway.calibration.CalibrationReports calibration;

    /** The calibration table's source (issue 13); the page shows a note instead when absent. */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    void setCalibration(io.testbed.gateway.calibration.CalibrationReports calibration) {
        this.calibration = calibration;
    }

    @Operation(summary = "The results page (HTML): the latest reproduction and any experiment")
    @GetMapping(value = {"/results", "/results/"}, produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> page(@RequestParam(required = false) @jakarta.validation.constraints.Pattern(
                                               regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) String reproduction,
                                       @RequestParam(required = false) @jakarta.validation.constraints.Pattern(
                                               regexp = ApiIds.ID, message = ApiIds.ID_MESSAGE) String experiment) {
        if (reproduction != null && reproductions.view(reproduction).isEmpty()) {
            throw new io.testbed.gateway.reproduction.ReproductionNotFoundException("No reproduction '" + reproduction + "'; GET /api/reproductions lists them");
        }
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>TLS kernel testbed: results</title>\n")
                .append("<style>body{font-family:sans-serif;margin:1.5em;max-width:1200px}table{border-collapse:collapse;margin:0.5em 0 1.5em}")
                .append("td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px;vertical-align:top}th{background:#f3f3f3}")
                .append(".holds{color:#2a7d2a;font-weight:bold}.not{color:#b02020;font-weight:bold}.partly{color:#a66a00;font-weight:bold}")
                .append("img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}blockquote{color:#555;border-left:3px solid #ccc;margin:0.5em 0;padding-left:0.8em}</style>\n")
                .append("</head><body>\n<h1>TLS kernel testbed: results</h1>\n")
                .append("<p><a href=\"/swagger-ui.html\">API</a> · <a href=\"/api/experiments\">experiments (JSON)</a> ·")
                .append(" <a href=\"/api/reproductions\">reproductions (JSON)</a></p>\n");

        Optional<ReproductionView> rv = reproduction != null ? reproductions.view(reproduction) : reproductions.latest();
        b.append("<section id=\"reproduction\">\n<h2>Reproduction of the seed's claims</h2>\n");
        Optional<Report> fromReports = rv.isEmpty() && reproduction == null ? committed.report() : Optional.empty();
        if (fromReports.isPresent()) {
            Report r = fromReports.get();
            b.append("<p id=\"committed-run\"><b>No reproduction has completed in this gateway's database yet: this is the run committed")
                    .append(" with the sources</b> (<code>reports/reproduction.json</code>, reproduction <code>").append(esc(r.reproductionId()))
                    .append("</code>, finished ").append(r.finishedAt()).append("). Run <code>make reproduce</code> or POST /api/reproductions for a new one.</p>\n");
            report(b, r, null);
        } else if (rv.isEmpty()) {
            b.append("<p id=\"no-reproduction\">").append(reproduction != null ? "No reproduction " + esc(reproduction) + "."
                    : "No reproduction has completed yet: run <code>make reproduce</code> or POST /api/reproductions.").append("</p>\n");
        } else {
            reproduction(b, rv.get());
        }
        b.append("</section>\n");

        if (calibration != null) {
            b.append("<section id=\"calibration-section\">\n<h2>Calibration on Akuma's own measurements</h2>\n")
                    .append(calibration.html()).append("</section>\n");
        }

        b.append("<section id=\"experiments\">\n<h2>Experiments</h2>\n");
        if (experiment != null) {
            experiment(b, experiments.view(experiment).orElseThrow(() -> new ExperimentNotFoundException(experiment)));
        }
        List<ExperimentView> recent = experiments.recent(30);
        b.append("<h3>Recent experiments</h3>\n<table id=\"experiment-list\"><tr><th>id</th><th>name</th><th>kind</th><th>status</th>")
                .append("<th>runs: ok / failed / stopped / total</th><th>created</th><th>CSV</th></tr>\n");
        for (ExperimentView e : recent) {
            b.append("<tr><td><a href=\"/results?experiment=").append(esc(e.id())).append("\">").append(esc(e.id())).append("</a></td><td>")
                    .append(esc(e.name())).append("</td><td>").append(esc(e.kind())).append("</td><td>").append(esc(e.status()))
                    .append("</td><td>").append(e.progress().succeeded()).append(" / ").append(e.progress().failed()).append(" / ")
                    .append(e.progress().stopped()).append(" / ").append(e.progress().total()).append("</td><td>").append(e.createdAt())
                    .append("</td><td><a href=\"/api/experiments/").append(esc(e.id())).append("/results.csv\">csv</a></td></tr>\n");
        }
        b.append("</table>\n</section>\n</body></html>\n");
        return ResponseEntity.ok().contentType(new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8)).body(b.toString());
    }

    private void reproduction(StringBuilder b, ReproductionView rv) {
        b.append("<p>Reproduction <code>").append(esc(rv.id())).append("</code>, status <b>").append(esc(rv.status())).append("</b>");
        if (rv.progress() != null) {
            b.append(", runs ended ").append(rv.progress().ended()).append(" of ").append(rv.progress().total());
        }
        b.append(". Experiment: <a href=\"/results?experiment=").append(esc(rv.experimentId())).append("\">").append(esc(rv.experimentId()))
                .append("</a>.</p>\n");
        Optional<Report> report = reproductions.report(rv.id());
        if (report.isEmpty()) {
            if (rv.error() != null) {
                b.append("<p class=\"not\">").append(esc(rv.error())).append("</p>\n");
            }
            return;
        }
        report(b, report.get(), rv.id());
    }

    /**
     * A report: the time breakdown first, the verdicts with their robustness, the sensitivity table, the
     * figures against the real kernel, the charts, the claims and the configurations. {@code id} is the
     * reproduction whose charts the API serves, null for the committed run (its charts are inlined).
     */
    private void report(StringBuilder b, Report r, String id) {
        String rvId = id == null ? r.reproductionId() : id;
        b.append(String.format(Locale.ROOT, "<p>Pack <code>%s</code>, client <code>%s</code>, %d repetitions, seed %d, %d runs (%d failed),"
                        + " wall time %.0f s. <a href=\"/api/reproductions/%s/report.md\">report.md</a> · <a href=\"/api/reproductions/%s/report.json\">report.json</a></p>%n",
                esc(r.repo()), esc(r.client()), r.repetitions(), r.seed(), r.runs(), r.runsFailed(), r.wallSeconds(), esc(rvId), esc(rvId)));
        ReproductionSections.breakdown(b, r, chart(r, id, io.testbed.gateway.reproduction.ReproductionSections.BREAKDOWN_CHART));
        b.append("<h3>Verdicts</h3>\n<table id=\"verdicts\"><tr><th>#</th><th>claim</th><th>verdict</th><th>robust / fragile</th><th>finding</th></tr>\n");
        for (Report.Claim c : r.claims()) {
            b.append("<tr><td>").append(c.number()).append("</td><td><a href=\"#claim-").append(c.number()).append("\">").append(esc(c.title()))
                    .append("</a></td><td class=\"").append(verdictClass(c.verdict())).append("\">").append(esc(c.verdict()))
                    .append("</td><td class=\"robustness\">").append(esc(ReproductionSections.robustness(c)))
                    .append("</td><td>").append(esc(c.finding())).append("</td></tr>\n");
        }
        b.append("</table>\n<p>").append(esc(r.verdictRule())).append("</p>\n");
        ReproductionSections.sensitivity(b, r);
        ReproductionSections.realKernel(b, r);
        b.append("<h3>Charts</h3>\n<div id=\"charts\">\n");
        for (Report.Chart ch : r.charts()) {
            if (ch.name().equals(io.testbed.gateway.reproduction.ReproductionSections.BREAKDOWN_CHART)) {
                continue; // shown once, at the top, with its table
            }
            b.append("<figure>").append(chart(r, id, ch.name())).append("<figcaption>").append(esc(ch.caption()))
                    .append("</figcaption></figure>\n");
        }
        b.append("</div>\n<h3>Claims</h3>\n");
        for (Report.Claim c : r.claims()) {
            b.append("<h4 id=\"claim-").append(c.number()).append("\">Claim ").append(c.number()).append(": ").append(esc(c.title())).append("</h4>\n")
                    .append("<blockquote>").append(esc(c.seedWords())).append("</blockquote>\n")
                    .append("<p><b>Conditions.</b> ").append(esc(c.conditions())).append("</p>\n")
                    .append("<p><b>Rule.</b> ").append(esc(c.rule())).append("</p>\n")
                    .append("<p><b>Verdict:</b> <span class=\"").append(verdictClass(c.verdict())).append("\">").append(esc(c.verdict()))
                    .append("</span>. ").append(esc(c.finding())).append("</p>\n")
                    .append("<p><b>Robustness:</b> ").append(esc(ReproductionSections.robustness(c))).append("</p>\n")
                    .append("<table class=\"figures\"><tr><th>figure</th><th>configuration</th><th>measured: median (min - max)</th><th>the seed</th></tr>\n");
            for (Report.Figure f : c.figures()) {
                b.append("<tr><td>").append(esc(f.what())).append("</td><td>").append(esc(f.configuration())).append("</td><td>")
                        .append(esc(f.measured())).append("</td><td>").append(esc(f.seed())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        b.append("<h3>Every configuration</h3>\n<table id=\"configurations\"><tr><th>#</th><th>configuration</th><th>group</th><th>policy</th>")
                .append("<th>downloads</th><th>sessions</th><th>runs ok</th><th>slowest download (s)</th><th>throughput (KiB/s)</th>")
                .append("<th>would-blocks</th><th>asleep (s)</th><th>CPU network</th><th>CPU per download</th><th>echo p50 (ms)</th><th>echo p99 (ms)</th><th>never echoed</th><th>commit</th></tr>\n");
        for (Report.Configuration c : r.configurations()) {
            b.append("<tr><td>").append(c.cell()).append("</td><td>").append(esc(c.label())).append("</td><td>").append(esc(c.group()))
                    .append("</td><td>").append(esc(c.policy())).append("</td><td>").append(c.downloads()).append("</td><td>").append(c.sessions())
                    .append("</td><td>").append(c.succeeded()).append('/').append(c.runs()).append("</td><td>").append(num(c.simulatedSeconds(), 1))
                    .append("</td><td>").append(num(c.throughputBytesPerSecond(), 1024)).append("</td><td>").append(num(c.wouldBlocks(), 1))
                    .append("</td><td>").append(num(c.sleepSeconds(), 1)).append("</td><td>").append(pct(c.networkCpuShare()))
                    .append("</td><td>").append(pct(c.downloadCpuShareMean())).append("</td><td>").append(num(c.echoP50Ms(), 1))
                    .append("</td><td>").append(num(c.echoP99Ms(), 1)).append("</td><td>").append(pct(c.echoLoss()))
                    .append("</td><td>").append(esc(c.commit())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    /** A chart: an img served by the API for a stored reproduction, the committed SVG inlined otherwise. */
    private String chart(Report r, String id, String name) {
        String caption = r.charts() == null ? name : r.charts().stream().filter(c -> c.name().equals(name)).map(Report.Chart::caption)
                .findFirst().orElse(name);
        if (id != null) {
            return "<img src=\"/api/reproductions/" + esc(id) + "/charts/" + esc(name) + "\" alt=\"" + esc(caption) + "\">";
        }
        return committed.chart(r, name).map(svg -> svg.replaceFirst("^<\\?xml[^>]*>", "")).orElse("<p>(chart " + esc(name) + " not committed)</p>");
    }

    private static void experiment(StringBuilder b, ExperimentView e) {
        b.append("<h3>Experiment <code>").append(esc(e.id())).append("</code>: ").append(esc(e.name())).append("</h3>\n")
                .append("<p>Status <b>").append(esc(e.status())).append("</b>; runs ended ").append(e.progress().ended()).append(" of ")
                .append(e.progress().total()).append(" (").append(e.progress().succeeded()).append(" succeeded, ").append(e.progress().failed())
                .append(" failed, ").append(e.progress().stopped()).append(" stopped); seed ").append(e.seed()).append(", ")
                .append(e.repetitions()).append(" repetitions. <a href=\"/api/experiments/").append(esc(e.id()))
                .append("/results.csv\">results.csv</a> · <a href=\"/api/experiments/").append(esc(e.id())).append("\">JSON</a></p>\n");
        String[][] figures = {{"simulatedSeconds", "slowest download (s)", "1"}, {"throughputBytesPerSecond", "throughput (KiB/s)", "1024"},
                {"wouldBlocks", "would-blocks", "1"}, {"sleepSeconds", "asleep (s)", "1"}, {"networkCpuShare", "CPU network (%)", "0.01"},
                {"downloadCpuShareMean", "CPU per download (%)", "0.01"}, {"echoP50Ms", "echo p50 (ms)", "1"}, {"echoP99Ms", "echo p99 (ms)", "1"}};
        b.append("<table id=\"cells\"><tr><th>#</th><th>cell</th><th>runs ok</th>");
        for (String[] f : figures) {
            b.append("<th>").append(f[1]).append("<br>median (min - max)</th>");
        }
        b.append("</tr>\n");
        for (ExperimentView.CellView c : e.cells()) {
            long ok = c.runs().stream().filter(r -> Status.SUCCEEDED.is(r.status())).count();
            b.append("<tr><td>").append(c.index()).append("</td><td>").append(esc(c.label())).append("</td><td>").append(ok).append('/')
                    .append(c.runs().size()).append("</td>");
            for (String[] f : figures) {
                Summary.Stat s = c.summary().get(f[0]);
                double div = Double.parseDouble(f[2]);
                b.append("<td>").append(s == null ? "-" : fmt(s.median() / div) + (s.n() > 1 ? " (" + fmt(s.min() / div) + " - "
                        + fmt(s.max() / div) + ")" : "")).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static String verdictClass(String verdict) {
        if ("holds".equals(verdict)) {
            return "holds";
        }
        return verdict.startsWith("holds only") ? "partly" : "not";
    }

    private static String num(Double v, double div) {
        return v == null ? "-" : fmt(v / div);
    }

    private static String pct(Double v) {
        return v == null ? "-" : fmt(v * 100) + "%";
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
