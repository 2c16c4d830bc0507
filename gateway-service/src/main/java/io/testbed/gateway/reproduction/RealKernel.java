package io.testbed.gateway.reproduction;

import tools.jackson.databind.JsonNode;
import io.testbed.gateway.experiment.TimeSplit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Against the real kernel": what Akuma's authors measured beside the model's figure. The calibration
 * references (C1-C5 of {@code reports/calibration.json}, {@code make calibrate}) are quoted with the
 * model's value there and whether the model was fitted on them; C4 (the seed's "4MB repo taking minutes")
 * is set beside this reproduction's own 10 ms download on the seed's commit.
 */
final class RealKernel {

    private RealKernel() {
    }

    static List<Report.RealFigure> figures(ClaimJudge judge, Optional<JsonNode> calibration) {
        List<Report.RealFigure> out = new ArrayList<>();
        boolean c4 = false;
        if (calibration.isPresent() && calibration.get().path("references").isArray()) {
            for (JsonNode r : calibration.get().path("references")) {
                String id = r.path("id").asText();
                c4 |= "C4".equals(id);
                String unit = r.path("unit").asText("");
                out.add(new Report.RealFigure(id, r.path("title").asText(), String.format(Locale.ROOT, "%s %s", num(r.path("measured")), unit),
                        String.format(Locale.ROOT, "%s %s (%s, %s)", num(r.path("model")), unit, r.path("profile").asText("-"),
                                r.path("accepted").asBoolean(false) ? "within its band" : "outside its band"),
                        r.path("fitted").asBoolean(false), r.path("source").asText()));
            }
        }
        TimeSplit t = judge.meanSplit(ReproductionCells.SLEEP_10);
        Double sim = judge.med(ReproductionCells.SLEEP_10, "simulatedSeconds");
        if (!c4) {
            out.add(new Report.RealFigure("C4", "4 MiB clone at the seed's commit with the 10 ms sleep on a read WouldBlock",
                    "between 1 and 30 minutes (\"4MB repo taking minutes\")",
                    sim == null ? "-" : String.format(Locale.ROOT, "%s (this reproduction, '%s'%s)", ClaimJudge.seconds(sim),
                            ReproductionCells.SLEEP_10, t == null ? "" : String.format(Locale.ROOT, "; %.0f%% of it asleep", 100 * t.sleeping() / t.total())),
                    false, "TLS_DOWNLOAD_PERFORMANCE.md @7b52ac2 (the seed), Issue line"));
        }
        return out;
    }

    private static String num(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4g", n.asDouble()) : n.asText("-");
    }
}
