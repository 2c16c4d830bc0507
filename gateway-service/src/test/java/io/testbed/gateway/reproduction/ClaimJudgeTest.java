package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.Cell;
import io.testbed.gateway.experiment.ExperimentPlan;
import io.testbed.gateway.experiment.ExperimentView;
import io.testbed.gateway.experiment.RunResult;
import io.testbed.gateway.experiment.Summary;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The judge and the charts on made-up figures: the verdicts follow the written rules, and nothing breaks on gaps. */
class ClaimJudgeTest {

    private static final List<String> POLICIES = List.of("sleep", "yield", "backoff", "poll", "blocking");

    @Test
    void everyRunFailed_everyClaimIsNotMeasured_andTheChartsStillRender() {
        ExperimentView view = view(cell -> null);
        assertThat(new ClaimJudge(view).claims()).hasSize(8).allSatisfy(c -> assertThat(c.verdict()).isEqualTo(ClaimJudge.NOT_MEASURED));
        assertThat(SvgCharts.all(view)).hasSize(4).allSatisfy((name, svg) -> assertThat(svg).startsWith("<svg").endsWith("</svg>\n"));
    }

    @Test
    void oneMsSlowerWithAkumasSleeps_tenfoldWithExactSleeps_claim1HoldsOnlyUnderHiresSleeps() {
        ExperimentView view = view(cell -> switch (cell.label()) {
            case ReproductionCells.SLEEP_10 -> result(14.0, 1);
            case ReproductionCells.SLEEP_1 -> result(15.0, 1);
            case ReproductionCells.SLEEP_10_HIRES -> result(14.0, 1);
            case ReproductionCells.SLEEP_1_HIRES -> result(1.2, 1);
            default -> result(1.0, cell.downloads());
        });
        Report.Claim claim1 = new ClaimJudge(view).claims().get(0);
        assertThat(claim1.verdict()).isEqualTo("holds only under high-resolution sleeps (sleep.model=hires)");
        assertThat(claim1.finding()).contains("SLOWER").contains("11.7x");
    }

    @Test
    void theReport_rendersAsMarkdownWithTheVerdictTable() {
        ExperimentView view = view(cell -> result(2.0, cell.downloads()));
        ClaimJudge judge = new ClaimJudge(view);
        Report report = new Report("rp-1", view.id(), "pack-4m", "bc", 1, 1, null, 160, Instant.EPOCH, Instant.EPOCH.plusSeconds(60), 60,
                view.progress().total(), 0, ReproductionService.VERDICT_RULE, judge.claims(), List.of(), SvgCharts.captions(), List.of());
        String md = MarkdownReport.of(report);
        assertThat(md).contains("## Verdicts").contains("| 1 | [10 ms vs 1 ms sleep on EAGAIN](#claim-1) |").contains("](charts/frontier.svg)");
    }

    private static RunResult result(double seconds, int downloads) {
        List<Double> shares = new ArrayList<>();
        List<RunResult.DownloadFigures> figures = new ArrayList<>();
        for (int i = 0; i < downloads; i++) {
            shares.add(0.1);
            figures.add(new RunResult.DownloadFigures("d-" + i, "succeeded", seconds, 4_194_304, 500, 500, 5.0, 1000, 260, true, null));
        }
        return new RunResult(seconds, seconds, 4_194_304L * downloads, 4_194_304.0 * downloads / seconds, 4_194_304 / seconds, 500, 500,
                5.0, 1000, 260, 0.3, 0.1, 0.05, shares, 1.0, 5.0, 9.0, 0.25, 20, downloads, seconds, 3, Map.of("echoes", 20L, "keystrokes", 20L), figures);
    }

    private static ExperimentView view(java.util.function.Function<Cell, RunResult> results) {
        ExperimentPlan plan = ReproductionCells.plan("test", new ReproductionRequest("pack-4m", "bc", 1, 1L, null, 160.0), POLICIES, 160);
        List<ExperimentView.CellView> cells = new ArrayList<>();
        int total = 0;
        for (Cell c : plan.cells()) {
            RunResult r = results.apply(c);
            List<ExperimentView.RunView> runs = List.of(new ExperimentView.RunView("r-" + c.index(), 1, 1, r == null ? "failed" : "succeeded",
                    "default", "m-1", Instant.EPOCH, Instant.EPOCH, r == null ? "boom" : null, r));
            total++;
            cells.add(new ExperimentView.CellView(c.index(), c.label(), c.group(), c.repo(), c.client(), c.policy().asMap(), c.policy().label(),
                    c.machine().label(), c.machine().profile(), c.machine().overrides(), c.downloads(), c.sessions(), runs,
                    Summary.of(r == null ? List.of() : List.of(r))));
        }
        return new ExperimentView("ex-1", "test", "reproduction", "completed", Instant.EPOCH, Instant.EPOCH, 1, 1, null, 160,
                new ExperimentView.Progress(total, 0, 0, total, 0, 0, 0), null, cells);
    }
}
