package io.testbed.gateway.reproduction;

import java.util.Locale;

/**
 * {@code reports/reproduction.md}: the verdict table first (the README links to it), then each claim
 * with the seed's words, conditions, rule and figures, the charts and every configuration's medians.
 * Charts are referenced as {@code charts/<name>}, beside the report.
 */
final class MarkdownReport {

    private MarkdownReport() {
    }

    static String of(Report r) {
        StringBuilder b = new StringBuilder();
        b.append("# Reproduction of the seed's claims\n\n");
        b.append("The claims of the seed document (`TLS_DOWNLOAD_PERFORMANCE.md`, listed in the design's section 8), each run on")
                .append(" simulated machines on the virtual clock and judged by the rule written beside it.\n\n");
        b.append("| | |\n|---|---|\n");
        row(b, "pack", "`" + r.repo() + "`");
        row(b, "TLS client", "`" + r.client() + "`" + (r.cpu() == null ? "" : ", userspace CPU `" + r.cpu() + "`"));
        row(b, "repetitions per configuration", Integer.toString(r.repetitions()));
        row(b, "seed", Long.toString(r.seed()));
        row(b, "runs", r.runs() + (r.runsFailed() == 0 ? "" : " (" + r.runsFailed() + " failed)"));
        row(b, "bound on a run's simulated time", String.format(Locale.ROOT, "%.0f s", r.maxSimulatedSeconds()));
        row(b, "started / finished", r.startedAt() + " / " + r.finishedAt());
        row(b, "wall time", String.format(Locale.ROOT, "%.0f s (%.1f min)", r.wallSeconds(), r.wallSeconds() / 60));
        row(b, "reproduction / experiment", "`" + r.reproductionId() + "` / `" + r.experimentId() + "`");
        b.append('\n');

        b.append("## Verdicts\n\n");
        b.append("| # | claim | verdict | finding |\n|---|---|---|---|\n");
        for (Report.Claim c : r.claims()) {
            b.append("| ").append(c.number()).append(" | [").append(cell(c.title())).append("](#claim-").append(c.number())
                    .append(") | **").append(cell(c.verdict())).append("** | ").append(cell(c.finding())).append(" |\n");
        }
        b.append("\n").append(r.verdictRule()).append("\n\n");

        for (Report.Claim c : r.claims()) {
            b.append("<a id=\"claim-").append(c.number()).append("\"></a>\n");
            b.append("## Claim ").append(c.number()).append(": ").append(c.title()).append("\n\n");
            b.append("> ").append(c.seedWords()).append("\n\n");
            b.append("**Conditions.** ").append(c.conditions()).append("\n\n");
            b.append("**Rule.** ").append(c.rule()).append("\n\n");
            b.append("**Verdict: ").append(c.verdict()).append(".** ").append(c.finding()).append("\n\n");
            b.append("| figure | configuration | measured: median (min - max) | the seed |\n|---|---|---|---|\n");
            for (Report.Figure f : c.figures()) {
                b.append("| ").append(cell(f.what())).append(" | ").append(cell(f.configuration())).append(" | ")
                        .append(cell(f.measured())).append(" | ").append(cell(f.seed())).append(" |\n");
            }
            b.append('\n');
        }

        b.append("## Charts\n\n");
        for (Report.Chart ch : r.charts()) {
            b.append("![").append(ch.caption()).append("](charts/").append(ch.name()).append(")\n\n*")
                    .append(ch.caption()).append("*\n\n");
        }

        b.append("## Every configuration\n\n");
        b.append("Medians over the repetitions. Times are simulated; throughput is all downloads' bytes over the slowest one's time;")
                .append(" CPU shares are a thread's CPU time over the machine's simulated time.\n\n");
        b.append("| # | configuration | group | policy | downloads | sessions | runs ok | slowest download | throughput | would-blocks")
                .append(" | asleep | CPU network | CPU per download | echo p50 | echo p99 |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Report.Configuration c : r.configurations()) {
            b.append("| ").append(c.cell()).append(" | ").append(cell(c.label())).append(" | ").append(c.group()).append(" | ")
                    .append(cell(c.policy())).append(" | ").append(c.downloads()).append(" | ").append(c.sessions()).append(" | ")
                    .append(c.succeeded()).append('/').append(c.runs()).append(" | ").append(ClaimJudge.seconds(c.simulatedSeconds()))
                    .append(" | ").append(ClaimJudge.kib(c.throughputBytesPerSecond())).append(" | ").append(ClaimJudge.count(c.wouldBlocks()))
                    .append(" | ").append(ClaimJudge.seconds(c.sleepSeconds())).append(" | ").append(ClaimJudge.percent(c.networkCpuShare()))
                    .append(" | ").append(ClaimJudge.percent(c.downloadCpuShareMean())).append(" | ").append(ClaimJudge.millis(c.echoP50Ms()))
                    .append(" | ").append(ClaimJudge.millis(c.echoP99Ms())).append(" |\n");
        }
        b.append('\n');
        if (!r.notes().isEmpty()) {
            b.append("## Notes\n\n");
            r.notes().forEach(n -> b.append("- ").append(n).append('\n'));
            b.append('\n');
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
