package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.TimeSplit;

import java.time.Instant;
import java.util.List;

/**
 * A reproduction's report ({@code reports/reproduction.json}): where each configuration's download time
 * went, each claim of the seed with its words, the code state it was judged on, the figures, the rule,
 * the verdict and how robust it is; every configuration's summary; the sensitivity table; the figures
 * beside the real kernel's; the charts' names.
 */
public record Report(String reproductionId, String experimentId, String repo, String client, int repetitions, long seed,
                     String cpu, double maxSimulatedSeconds, Instant startedAt, Instant finishedAt, double wallSeconds,
                     int runs, int runsFailed, String verdictRule, List<Claim> claims, List<Configuration> configurations,
                     List<Chart> charts, List<String> notes, List<Profile> profiles, String sensitivitySet,
                     List<SensitivityRow> sensitivity, List<RealFigure> againstRealKernel, String opening, int jitterUs,
                     String loadRepo) {

    /**
     * @param number     the claim's number (0: the seed's diagnosis; 1-8 as in the design's section 8)
     * @param title      a short name
     * @param seedWords  what the seed document says, quoted in full
     * @param conditions the configurations measured, with the code state (profile and commit)
     * @param rule       how the verdict is decided from the figures
     * @param verdict    {@code holds}, {@code does not hold}, {@code holds only under ...} or {@code not measurable}
     * @param figures    measured figures beside what the seed says
     * @param finding    the verdict in a sentence, with the numbers
     * @param robustness {@code robust} or {@code fragile} (null when no sensitivity was run)
     * @param flips      for a fragile verdict: each input value that changes it, with the verdict it gives
     */
    public record Claim(int number, String title, String seedWords, String conditions, String rule, String verdict,
                        List<Figure> figures, String finding, String robustness, List<String> flips) {

        Claim withRobustness(String robustness, List<String> flips) {
            return new Claim(number, title, seedWords, conditions, rule, verdict, figures, finding, robustness, flips);
        }
    }

    /** One measured figure: what, under which configuration, the measured median (min-max), and the seed's value. */
    public record Figure(String what, String configuration, String measured, String seed) {
    }

    /**
     * One configuration's medians over its repetitions; {@code time} is the mean over its runs of where the
     * downloads' time went; {@code echoLoss} the share of keystrokes never echoed (beside every echo percentile).
     */
    public record Configuration(int cell, String label, String group, String policy, String machine, int downloads,
                                int sessions, int runs, int succeeded, Double simulatedSeconds,
                                Double throughputBytesPerSecond, Double wouldBlocks, Double sleepSeconds,
                                Double networkCpuShare, Double downloadCpuShareMean, Double echoP50Ms, Double echoP99Ms,
                                Double echoLoss, String repo, String commit, TimeSplit time) {
    }

    /** A chart: file name (SVG) and caption. */
    public record Chart(String name, String caption) {
    }

    /** A profile the report uses and the Akuma commit it models. */
    public record Profile(String name, String commit, String date, String description) {
    }

    /** One sensitivity variant: the input moved, its value, and each claim's verdict under it. */
    public record SensitivityRow(String input, String value, List<String> verdicts) {
    }

    /**
     * One of Akuma's own measurements beside the model's figure.
     *
     * @param id        the reference (C1-C5, or a validation figure)
     * @param what      what was measured
     * @param measured  Akuma's figure
     * @param model     the model's figure
     * @param fitted    whether the model was fitted on it (so agreement there is by construction)
     * @param source    where Akuma's authors wrote it
     */
    public record RealFigure(String id, String what, String measured, String model, boolean fitted, String source) {
    }
}
