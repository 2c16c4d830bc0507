package io.testbed.gateway.reproduction;

import java.util.List;
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
        opening(b, r);
        verdicts(b, r);
        profiles(b, r);
        claims(b, r);
        sensitivity(b, r);
        realKernel(b, r);
        charts(b, r);
        configurations(b, r);
        notes(b, r);
        return b.toString();
    }

    /** The title, where the time went (text, table, chart) and the run's conditions. */
    private static void opening(StringBuilder b, Report r) {
        b.append("# Reproduction of the seed's claims\n\n");
        b.append("## What made the seed's download slow\n\n");
        if (r.opening() != null) {
            b.append(r.opening()).append("\n\n");
        }
        breakdown(b, r);
        b.append("![Where each download's time went](charts/").append(Charts.BREAKDOWN).append(")\n\n");
        b.append("The claims of the seed document (`TLS_DOWNLOAD_PERFORMANCE.md`), each run on simulated machines on the virtual")
                .append(" clock, on the code state it is about, and judged by the rule written beside it.\n\n");
        b.append("| | |\n|---|---|\n");
        row(b, "pack", "`" + r.repo() + "` (claims 0-2); `" + r.loadRepo() + "` (claims 3-8: shares, latencies and stalls do not need 4 MiB)");
        row(b, "link jitter", r.jitterUs() + " us, seeded (QEMU user network on one host, an estimate)");
        row(b, "sensitivity set", r.sensitivitySet() + " (" + (r.sensitivity() == null ? 0 : r.sensitivity().size()) + " variants)");
        row(b, "TLS client", "`" + r.client() + "`" + (r.cpu() == null ? "" : ", userspace CPU `" + r.cpu() + "`"));
        row(b, "repetitions per configuration", Integer.toString(r.repetitions()));
        row(b, "seed", Long.toString(r.seed()));
        row(b, "runs", r.runs() + (r.runsFailed() == 0 ? "" : " (" + r.runsFailed() + " failed)"));
        row(b, "bound on a run's simulated time", String.format(Locale.ROOT, "%.0f s", r.maxSimulatedSeconds()));
        row(b, "started / finished", r.startedAt() + " / " + r.finishedAt());
        row(b, "wall time", String.format(Locale.ROOT, "%.0f s (%.1f min)", r.wallSeconds(), r.wallSeconds() / 60));
        row(b, "reproduction / experiment", "`" + r.reproductionId() + "` / `" + r.experimentId() + "`");
        b.append('\n');
    }

    /** One line per claim, then the rule for the verdicts. */
    private static void verdicts(StringBuilder b, Report r) {
        b.append("## Verdicts\n\n");
        b.append("| # | claim | verdict | robust / fragile | finding |\n|---|---|---|---|---|\n");
        for (Report.Claim c : r.claims()) {
            b.append("| ").append(c.number()).append(" | [").append(cell(c.title())).append("](#claim-").append(c.number())
                    .append(") | **").append(cell(c.verdict())).append("** | ").append(cell(robustness(c))).append(" | ")
                    .append(cell(c.finding())).append(" |\n");
        }
        b.append("\n").append(r.verdictRule()).append("\n\n");
    }

    /** Each claim: the seed's words, conditions, rule, verdict, robustness and its figures. */
    private static void claims(StringBuilder b, Report r) {
        for (Report.Claim c : r.claims()) {
            b.append("<a id=\"claim-").append(c.number()).append("\"></a>\n");
            b.append("## Claim ").append(c.number()).append(": ").append(c.title()).append("\n\n");
            b.append("> ").append(c.seedWords()).append("\n\n");
            b.append("**Conditions.** ").append(c.conditions()).append("\n\n");
            b.append("**Rule.** ").append(c.rule()).append("\n\n");
            b.append("**Verdict: ").append(c.verdict()).append(".** ").append(c.finding()).append("\n\n");
            if (c.robustness() != null) {
                b.append("**Robustness: ").append(robustness(c)).append(".**\n\n");
            }
            b.append("| figure | configuration | measured: median (min - max) | the seed |\n|---|---|---|---|\n");
            for (Report.Figure f : c.figures()) {
                b.append("| ").append(cell(f.what())).append(" | ").append(cell(f.configuration())).append(" | ")
                        .append(cell(f.measured())).append(" | ").append(cell(f.seed())).append(" |\n");
            }
            b.append('\n');
        }
    }

    private static void charts(StringBuilder b, Report r) {
        b.append("## Charts\n\n");
        for (Report.Chart ch : r.charts()) {
            b.append("![").append(ch.caption()).append("](charts/").append(ch.name()).append(")\n\n*")
                    .append(ch.caption()).append("*\n\n");
        }
    }

    /** Every configuration's medians. */
    private static void configurations(StringBuilder b, Report r) {
        b.append("## Every configuration\n\n");
        b.append("Medians over the repetitions. Times are simulated; throughput is all downloads' bytes over the slowest one's time;")
                .append(" CPU shares are a thread's CPU time over the machine's simulated time.\n\n");
        b.append("| # | configuration | group | policy | downloads | sessions | runs ok | slowest download | throughput | would-blocks")
                .append(" | asleep | CPU network | CPU per download | echo p50 | echo p99 | never echoed | pack | commit |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Report.Configuration c : r.configurations()) {
            b.append("| ").append(c.cell()).append(" | ").append(cell(c.label())).append(" | ").append(c.group()).append(" | ")
                    .append(cell(c.policy())).append(" | ").append(c.downloads()).append(" | ").append(c.sessions()).append(" | ")
                    .append(c.succeeded()).append('/').append(c.runs()).append(" | ").append(ClaimJudge.seconds(c.simulatedSeconds()))
                    .append(" | ").append(ClaimJudge.kib(c.throughputBytesPerSecond())).append(" | ").append(ClaimJudge.count(c.wouldBlocks()))
                    .append(" | ").append(ClaimJudge.seconds(c.sleepSeconds())).append(" | ").append(ClaimJudge.percent(c.networkCpuShare()))
                    .append(" | ").append(ClaimJudge.percent(c.downloadCpuShareMean())).append(" | ").append(ClaimJudge.millis(c.echoP50Ms()))
                    .append(" | ").append(ClaimJudge.millis(c.echoP99Ms())).append(" | ").append(ClaimJudge.percent(c.echoLoss()))
                    .append(" | ").append(c.repo()).append(" | ").append(cell(c.commit())).append(" |\n");
        }
        b.append('\n');
    }

    private static void notes(StringBuilder b, Report r) {
        if (!r.notes().isEmpty()) {
            b.append("## Notes\n\n");
            r.notes().forEach(n -> b.append("- ").append(n).append('\n'));
            b.append('\n');
        }
    }

    static String robustness(Report.Claim c) {
        if (c.robustness() == null) {
            return "not analysed";
        }
        return c.flips() == null || c.flips().isEmpty() ? c.robustness() : c.robustness() + ": flips under " + String.join("; ", c.flips());
    }

    /** The time split table: one row per configuration with a split, seconds per download. */
    static void breakdown(StringBuilder b, Report r) {
        List<Report.Configuration> rows = r.configurations().stream().filter(c -> c.time() != null).toList();
        if (rows.isEmpty()) {
            b.append("No configuration reported per-thread times.\n\n");
            return;
        }
        List<String> parts = List.copyOf(rows.get(0).time().parts().keySet());
        b.append("Simulated seconds per download (mean over its downloads and runs), from the kernel's per-thread accounting;")
                .append(" the parts sum to the download thread's life.\n\n| configuration | commit | total");
        parts.forEach(p -> b.append(" | ").append(p));
        b.append(" |\n|---|---|---").append("|---".repeat(parts.size())).append("|\n");
        for (Report.Configuration c : rows) {
            b.append("| ").append(cell(c.label())).append(" | ").append(cell(c.commit())).append(" | ").append(ClaimJudge.seconds(c.time().total()));
            c.time().parts().values().forEach(v -> b.append(" | ").append(String.format(Locale.ROOT, "%s (%.0f%%)", ClaimJudge.seconds(v),
                    c.time().total() > 0 ? 100 * v / c.time().total() : 0)));
            b.append(" |\n");
        }
        b.append('\n');
    }

    private static void profiles(StringBuilder b, Report r) {
        if (r.profiles() == null) {
            return;
        }
        b.append("### Code states\n\n| profile | Akuma commit | date | what it models |\n|---|---|---|---|\n");
        r.profiles().forEach(p -> b.append("| `").append(p.name()).append("` | ").append(cell(p.commit())).append(" | ").append(p.date())
                .append(" | ").append(cell(p.description())).append(" |\n"));
        b.append('\n');
    }

    static void sensitivity(StringBuilder b, Report r) {
        b.append("## Sensitivity\n\n");
        if (r.sensitivity() == null || r.sensitivity().isEmpty()) {
            b.append("Not run (sensitivity set `").append(r.sensitivitySet()).append("`).\n\n");
            return;
        }
        b.append("Every verdict judged again with one uncertain input moved to an end of its documented range (one repetition per")
                .append(" configuration; set `").append(r.sensitivitySet()).append("`). A cell differs from the main verdict where marked **(flips)**.\n\n");
        b.append("| input | value");
        r.claims().forEach(c -> b.append(" | claim ").append(c.number()));
        b.append(" |\n|---|---").append("|---".repeat(r.claims().size())).append("|\n");
        b.append("| main run | -");
        r.claims().forEach(c -> b.append(" | ").append(cell(c.verdict())));
        b.append(" |\n");
        for (Report.SensitivityRow row : r.sensitivity()) {
            b.append("| ").append(cell(row.input())).append(" | ").append(cell(row.value()));
            for (int i = 0; i < row.verdicts().size() && i < r.claims().size(); i++) {
                String v = row.verdicts().get(i);
                b.append(" | ").append(cell(v)).append(v.equals(r.claims().get(i).verdict()) ? "" : " **(flips)**");
            }
            b.append(" |\n");
        }
        b.append('\n');
    }

    static void realKernel(StringBuilder b, Report r) {
        b.append("## Against the real kernel\n\n");
        if (r.againstRealKernel() == null || r.againstRealKernel().isEmpty()) {
            b.append("No measurement of Akuma's to compare with.\n\n");
            return;
        }
        b.append("What Akuma's authors measured beside the model's figure. A reference the model was fitted on agrees by construction;")
                .append(" the others test it.\n\n| ref | what | Akuma measured | the model | fitted on it | source |\n|---|---|---|---|---|---|\n");
        for (Report.RealFigure f : r.againstRealKernel()) {
            b.append("| ").append(f.id()).append(" | ").append(cell(f.what())).append(" | ").append(cell(f.measured())).append(" | ")
                    .append(cell(f.model())).append(" | ").append(f.fitted() ? "yes" : "no").append(" | ").append(cell(f.source())).append(" |\n");
        }
        b.append('\n');
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
