package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.Cell;
import io.testbed.gateway.experiment.ExperimentPlan;
import io.testbed.gateway.experiment.ExperimentView;
import io.testbed.gateway.experiment.RunResult;
import io.testbed.gateway.experiment.Summary;
import io.testbed.gateway.experiment.TimeSplit;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The judge, the sensitivity and the charts on made-up figures: the verdicts follow the written rules, a
 * starved baseline is not measurable, a verdict that changes under a variant is fragile, and nothing breaks
 * on gaps.
 */
class ClaimJudgeTest {

    private static final Sensitivity.Variant JITTER_0 = new Sensitivity.Variant("jitter-0", "link jitter (estimate)", "0 us",
            Map.of(ReproductionCells.SEED, Map.of("link.jitter_us", "0"), ReproductionCells.RATIO2, Map.of("link.jitter_us", "0"),
                    ReproductionCells.SEED_DOC, Map.of("link.jitter_us", "0")), null, null);

    @Test
    void everyRunFailed_everyClaimIsNotMeasurable_andTheChartsStillRender() {
        ExperimentView view = view(cell -> null, List.of());
        List<Report.Claim> claims = new ClaimJudge(view).claims();
        assertThat(claims).hasSize(9).allSatisfy(c -> assertThat(c.verdict()).isEqualTo(ClaimJudge.NOT_MEASURABLE));
        Report report = report(view, claims, List.of());
        assertThat(Charts.all(view, report)).hasSize(4).allSatisfy((name, svg) -> assertThat(svg).startsWith("<svg").endsWith("</svg>\n"));
    }

    @Test
    void oneMsSlowerWithAkumasSleeps_tenfoldWithExactSleeps_claim1HoldsOnlyUnderHiresSleeps() {
        ExperimentView view = view(cell -> switch (cell.label()) {
            case ReproductionCells.SLEEP_10 -> result(14.0, 1, 1);
            case ReproductionCells.SLEEP_1 -> result(15.0, 1, 1);
            case ReproductionCells.SLEEP_10_HIRES -> result(14.0, 1, 1);
            case ReproductionCells.SLEEP_1_HIRES -> result(1.2, 1, 1);
            default -> result(1.0, cell.downloads(), cell.downloads());
        }, List.of());
        Report.Claim claim1 = claim(new ClaimJudge(view).claims(), 1);
        assertThat(claim1.verdict()).isEqualTo("holds only under high-resolution sleeps (sleep.model=hires)");
        assertThat(claim1.finding()).contains("1.07x slower").contains("11.67x");
    }

    @Test
    void downloadsStoppedAtTheBound_claims0And1AreNotMeasurable_theirTimeIsALowerBound() {
        // both seed downloads moved every byte but did not finish within the 1800 s bound (the committed run of 16:51
        // judged 1800 s against 1800 s as "1.00x": a comparison of two bounds)
        ExperimentView view = view(cell -> switch (cell.label()) {
            case ReproductionCells.SLEEP_10, ReproductionCells.SLEEP_1 -> result(1800.0, 1, 0);
            default -> result(14.0, cell.downloads(), cell.downloads());
        }, List.of());
        List<Report.Claim> claims = new ClaimJudge(view).claims();
        Report.Claim claim1 = claim(claims, 1);
        assertThat(claim1.verdict()).isEqualTo(ClaimJudge.NOT_MEASURABLE);
        assertThat(claim1.finding()).contains("did not finish within the bound (1800.0 s").contains("a lower bound");
        Report.Claim claim0 = claim(claims, 0);
        assertThat(claim0.verdict()).isEqualTo(ClaimJudge.NOT_MEASURABLE);
        assertThat(claim0.finding()).contains("'" + ReproductionCells.SLEEP_10 + "' did not finish");
        // one side finished: still not a ratio of two measurements
        ExperimentView half = view(cell -> switch (cell.label()) {
            case ReproductionCells.SLEEP_10 -> result(1800.0, 1, 0);
            default -> result(14.0, cell.downloads(), cell.downloads());
        }, List.of());
        assertThat(claim(new ClaimJudge(half).claims(), 1).verdict()).isEqualTo(ClaimJudge.NOT_MEASURABLE);
    }

    @Test
    void claims0To2_runScratchUpToThePacksDownload_theOthersTheWholeClone() {
        ExperimentPlan plan = ReproductionCells.plan("t", request(), 160, "pack-256k", List.of(JITTER_0));
        List<String> seedLabels = List.of(ReproductionCells.SLEEP_10, ReproductionCells.SLEEP_1, ReproductionCells.SLEEP_10_HIRES,
                ReproductionCells.SLEEP_1_HIRES);
        assertThat(plan.cells()).allSatisfy(c -> assertThat(c.client())
                .isEqualTo(seedLabels.contains(c.label()) ? "scratch-pack" : "scratch"));
        // another client is left as asked
        ReproductionRequest bc = new ReproductionRequest("pack-4m", "bc", 1, 1L, "modelled", 160.0, "pack-256k", Sensitivity.REDUCED);
        assertThat(ReproductionCells.plan("t", bc, 160, "pack-256k", List.of()).cells()).allSatisfy(c -> assertThat(c.client()).isEqualTo("bc"));
    }

    @Test
    void aStarvedBaseline_isNotMeasurable_withTheReason_whileTheLightLoadIsStillJudged() {
        // every heavy-load configuration makes no progress: no download finished, no CPU, no bytes
        ExperimentView view = view(cell -> "load".equals(cell.group()) && cell.downloads() == ReproductionCells.LOAD_DOWNLOADS
                ? starved(cell.downloads()) : result(2.0, cell.downloads(), cell.downloads()), List.of());
        List<Report.Claim> claims = new ClaimJudge(view).claims();
        Report.Claim claim3 = claim(claims, 3);
        assertThat(claim3.verdict()).isEqualTo(ClaimJudge.NOT_MEASURABLE);
        assertThat(claim3.finding()).contains("made no progress").contains(ReproductionCells.SEED_LOADED);
        Report.Claim claim5 = claim(claims, 5);
        assertThat(claim5.verdict()).isEqualTo(ClaimJudge.DOES_NOT_HOLD); // judged on the light load alone
        assertThat(claim5.finding()).contains("not measurable: heavy load").contains("made no progress");
        Report.Claim claim6 = claim(claims, 6);
        assertThat(claim6.finding()).contains("not measurable: ").contains("degraded concurrent downloads: '" + ReproductionCells.BASELINE + "' made no progress")
                .contains("starvation is not a degraded speed");
        Report.Claim claim8 = claim(claims, 8);
        assertThat(claim8.finding()).contains("Not measurable: future work 1: per-thread poll requests (heavy load)");
        assertThat(claim8.verdict()).doesNotContain("(heavy load)");
    }

    @Test
    void aVerdictThatChangesUnderAVariant_isFragile_namingTheInput_andTheOthersAreRobust() {
        // main run: 1 ms is no faster than 10 ms; without jitter it is ten times faster
        Function<Cell, RunResult> main = cell -> switch (cell.label()) {
            case ReproductionCells.SLEEP_10, ReproductionCells.SLEEP_10_HIRES -> result(14.0, 1, 1);
            case ReproductionCells.SLEEP_1, ReproductionCells.SLEEP_1_HIRES -> result(14.0, 1, 1);
            default -> result(1.0, cell.downloads(), cell.downloads());
        };
        ExperimentView view = view(cell -> {
            if (cell.group().startsWith(Sensitivity.GROUP_PREFIX) && cell.label().equals(ReproductionCells.SLEEP_1)) {
                return result(1.4, 1, 1);
            }
            return main.apply(cell);
        }, List.of(JITTER_0));
        List<Report.Claim> claims = new ClaimJudge(view).claims();
        assertThat(claim(claims, 1).verdict()).isEqualTo(ClaimJudge.DOES_NOT_HOLD);
        SensitivityResult sens = SensitivityResult.of(view, claims, Sensitivity.REDUCED);
        Report.Claim claim1 = claim(sens.claims(), 1);
        assertThat(claim1.robustness()).isEqualTo(SensitivityResult.FRAGILE);
        assertThat(claim1.flips()).containsExactly("link jitter 0 us: holds");
        assertThat(claim(sens.claims(), 4).robustness()).isEqualTo(SensitivityResult.ROBUST);
        assertThat(sens.rows()).singleElement().satisfies(r -> {
            assertThat(r.input()).isEqualTo("link jitter");
            assertThat(r.verdicts().get(1)).isEqualTo(ClaimJudge.HOLDS);
        });
    }

    @Test
    void keystrokesNeverEchoed_countAsWaitingTheWholeRun() {
        ExperimentView view = view(cell -> {
            RunResult r = result(2.0, cell.downloads(), cell.downloads());
            if (cell.label().equals(ReproductionCells.BASELINE)) {
                // the best p99 on paper, but half the keystrokes were never echoed
                return new RunResult(new RunResult.Timing(r.timing().simulatedSeconds(), r.timing().meanDownloadSeconds(),
                        r.timing().throughputBytesPerSecond(), r.timing().perDownloadBytesPerSecond(), 2.0, 1), r.io(),
                        new RunResult.Cpu(0.5, 0.1, 0.0, r.cpu().downloadCpuShares(), 0.5), new RunResult.Echo(0.1, 0.2, 0.3, 10),
                        r.completed(), Map.of("echoes", 10L, "keystrokes", 20L), r.downloads());
            }
            return r;
        }, List.of());
        ClaimJudge judge = new ClaimJudge(view);
        assertThat(judge.med(ReproductionCells.BASELINE, "echoLoss")).isEqualTo(0.5);
        assertThat(judge.effectiveEchoP99(ReproductionCells.BASELINE)).isEqualTo(2000.0);
        Report.Claim claim6 = claim(judge.claims(), 6);
        assertThat(claim6.finding()).contains("reasonable SSH responsiveness (echo p99 under 100 ms): no")
                .contains("echo p99 2000.0 ms, 50.0% of keystrokes never echoed");
    }

    @Test
    void claim0_sharesTheDownloadsTime_andTheReportOpensWithIt() {
        ExperimentView view = view(cell -> result(10.0, cell.downloads(), cell.downloads()), List.of());
        ClaimJudge judge = new ClaimJudge(view);
        Report.Claim claim0 = claim(judge.claims(), 0);
        // the made-up split: 6 s asleep of 10 s
        assertThat(claim0.verdict()).isEqualTo(ClaimJudge.HOLDS);
        assertThat(claim0.finding()).contains("60% was the sleep");
        Report report = report(view, judge.claims(), List.of());
        String md = MarkdownReport.of(report);
        assertThat(md.indexOf("## What made the seed's download slow")).isLessThan(md.indexOf("## Verdicts"));
        assertThat(md).contains("| 0 | [The diagnosis: the 10 ms sleep made the download slow](#claim-0) |")
                .contains("](charts/breakdown.svg)").contains("## Sensitivity").contains("## Against the real kernel");
    }

    @Test
    void theSensitivityPlan_copiesEachConfigurationPerVariant_withItsOverrides() {
        ExperimentPlan plan = ReproductionCells.plan("t", request(), 160, "pack-256k", List.of(JITTER_0));
        long main = plan.cells().stream().filter(c -> !c.group().startsWith(Sensitivity.GROUP_PREFIX)).count();
        List<Cell> copies = plan.cells().stream().filter(c -> c.group().startsWith(Sensitivity.GROUP_PREFIX)).toList();
        // every configuration but the two hires-sleep ones (claim 1's 'holds only under' takes them from the main run)
        assertThat(copies).hasSize((int) main - 2).noneMatch(c -> c.label().contains("hires"));
        assertThat(copies).allSatisfy(c -> {
            assertThat(c.machine().overrides()).containsEntry("link.jitter_us", "0");
            assertThat(c.repetitions(3)).isEqualTo(1);
        });
        assertThat(plan.totalRuns()).isEqualTo((int) main + copies.size());
        assertThat(plan.cells().stream().filter(c -> !c.group().startsWith(Sensitivity.GROUP_PREFIX)))
                .allSatisfy(c -> assertThat(c.machine().overrides()).containsEntry("link.jitter_us", Integer.toString(ReproductionCells.JITTER_US)));
    }

    // ---- fixtures ----

    private static Report.Claim claim(List<Report.Claim> claims, int number) {
        return claims.stream().filter(c -> c.number() == number).findFirst().orElseThrow();
    }

    private static ReproductionRequest request() {
        return new ReproductionRequest("pack-4m", "scratch", 1, 1L, "modelled", 160.0, "pack-256k", Sensitivity.REDUCED);
    }

    private static Report report(ExperimentView view, List<Report.Claim> claims, List<Report.SensitivityRow> rows) {
        ClaimJudge judge = new ClaimJudge(view);
        List<Report.Configuration> configurations = new ArrayList<>();
        for (ExperimentView.CellView c : ClaimJudge.mainCells(view.cells()).values()) {
            configurations.add(new Report.Configuration(c.index(), c.label(), c.group(), c.policyLabel(), c.machine(), c.downloads(),
                    c.sessions(), 1, 1, 1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 1.0, 2.0, 0.0, c.repo(), ReproductionProfiles.commitOf(c.profile()),
                    judge.meanSplit(c.label())));
        }
        return new Report("rp-1", view.id(), "pack-4m", "scratch", 1, 1, "modelled", 160, Instant.EPOCH, Instant.EPOCH.plusSeconds(60), 60,
                view.progress().total(), 0, ReproductionService.VERDICT_RULE, claims, configurations, Charts.captions(), List.of(),
                ReproductionProfiles.used(), Sensitivity.REDUCED, rows, RealKernel.figures(judge, java.util.Optional.empty()),
                ReportOpening.of(judge, claims), ReproductionCells.JITTER_US, "pack-256k");
    }

    /** A run in which every download took {@code seconds}: 60% asleep, 20% client CPU, 20% waiting on the network. */
    private static RunResult result(double seconds, int downloads, int completed) {
        List<Double> shares = new ArrayList<>();
        List<RunResult.DownloadFigures> figures = new ArrayList<>();
        TimeSplit split = new TimeSplit(0.2 * seconds, 0, 0, 0.6 * seconds, 0, 0, 0.2 * seconds, 0, 0, seconds);
        for (int i = 0; i < downloads; i++) {
            shares.add(0.1);
            figures.add(new RunResult.DownloadFigures("d-" + i, i < completed ? "succeeded" : "running", seconds, 4_194_304, 500, 500,
                    5.0, 1000, 260, true, null, null, split));
        }
        return new RunResult(new RunResult.Timing(seconds, seconds, 4_194_304.0 * downloads / seconds, 4_194_304 / seconds, seconds, 3),
                new RunResult.Io(4_194_304L * downloads, 500, 500, 5.0, 1000, 260), new RunResult.Cpu(0.3, 0.1, 0.05, shares, 0.25),
                new RunResult.Echo(1.0, 5.0, 9.0, 20), completed, Map.of("echoes", 20L, "keystrokes", 20L), figures);
    }

    private static RunResult starved(int downloads) {
        List<Double> shares = new ArrayList<>();
        List<RunResult.DownloadFigures> figures = new ArrayList<>();
        for (int i = 0; i < downloads; i++) {
            shares.add(0.0);
            figures.add(new RunResult.DownloadFigures("d-" + i, "running", null, 0, 0, 0, 0, 0, 0, null, null));
        }
        return new RunResult(new RunResult.Timing(160, null, 0, 0.0, 160, 3), new RunResult.Io(0, 0, 0, 0, 0, 0),
                new RunResult.Cpu(0.0, 1.0, 0.0, shares, 0.9), new RunResult.Echo(null, null, null, 0), 0,
                Map.of("echoes", 0L, "keystrokes", 0L), figures);
    }

    private static ExperimentView view(Function<Cell, RunResult> results, List<Sensitivity.Variant> variants) {
        ExperimentPlan plan = ReproductionCells.plan("test", request(), 160, "pack-256k", variants);
        List<ExperimentView.CellView> cells = new ArrayList<>();
        int total = 0;
        for (Cell c : plan.cells()) {
            RunResult r = results.apply(c);
            List<ExperimentView.RunView> runs = List.of(new ExperimentView.RunView("r-" + c.index(), 1, 1, r == null ? "failed" : "succeeded",
                    "default", "m-1", Instant.EPOCH, Instant.EPOCH, r == null ? "boom" : null, r));
            total++;
            Map<String, Summary.Stat> summary = new LinkedHashMap<>(Summary.of(r == null ? List.of() : List.of(r)));
            cells.add(new ExperimentView.CellView(c.index(), c.label(), c.group(), c.repo(), c.client(), c.policy().asMap(), c.policy().label(),
                    c.machine().label(), c.machine().profile(), c.machine().overrides(), c.downloads(), c.sessions(), runs, summary));
        }
        return new ExperimentView("ex-1", "test", "reproduction", "completed", Instant.EPOCH, Instant.EPOCH, 1, 1, null, 160,
                new ExperimentView.Progress(total, 0, 0, total, 0, 0, 0), null, cells);
    }
}
