package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.TimeSplit;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's first paragraph: what made the seed's download slow, in numbers, from the time split. */
final class ReportOpening {

    private ReportOpening() {
    }

    static String of(ClaimJudge judge, List<Report.Claim> claims) {
        TimeSplit t10 = judge.meanSplit(ReproductionCells.SLEEP_10);
        TimeSplit t1 = judge.meanSplit(ReproductionCells.SLEEP_1);
        if (t10 == null || t10.total() <= 0) {
            return "The 10 ms download on the seed's commit gave no per-thread time split, so where its time went is not known.";
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "On the seed's commit (7b52ac2) the %s download with libakuma-tls sleeping 10 ms on a read"
                + " that would block took %s of simulated time. It went to: ", judge.results(ReproductionCells.SLEEP_10).isEmpty() ? "pack"
                : "pack", ClaimJudge.seconds(t10.total())));
        b.append(parts(t10)).append('.');
        if (t1 != null && t1.total() > 0) {
            b.append(String.format(Locale.ROOT, " With the seed's fix (1 ms) it took %s: ", ClaimJudge.seconds(t1.total())));
            b.append(parts(t1)).append('.');
        }
        claims.stream().filter(c -> c.number() == 0).findFirst()
                .ifPresent(c -> b.append(" Claim 0 (the seed's diagnosis, the 10 ms sleep): ").append(c.verdict()).append('.'));
        return b.toString();
    }

    private static String parts(TimeSplit t) {
        StringBuilder b = new StringBuilder();
        t.parts().entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %s (%.0f%%)", e.getKey(),
                        ClaimJudge.seconds(e.getValue()), 100 * e.getValue() / t.total())));
        return b.toString();
    }
}
