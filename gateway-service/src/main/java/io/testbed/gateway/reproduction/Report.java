package io.testbed.gateway.reproduction;

import java.time.Instant;
import java.util.List;

/**
 * A reproduction's report ({@code reports/reproduction.json}): each claim of the seed with its words,
 * the conditions it was measured under, the figures, the rule and the verdict; every configuration's
 * summary; the charts' names.
 */
public record Report(String reproductionId, String experimentId, String repo, String client, int repetitions, long seed,
                     String cpu, double maxSimulatedSeconds, Instant startedAt, Instant finishedAt, double wallSeconds,
                     int runs, int runsFailed, String verdictRule, List<Claim> claims, List<Configuration> configurations,
                     List<Chart> charts, List<String> notes) {

    /**
     * @param number     the claim's number in the design (section 8)
     * @param title      a short name
     * @param seedWords  what the seed document says
     * @param conditions the configurations measured
     * @param rule       how the verdict is decided from the figures
     * @param verdict    {@code holds}, {@code does not hold} or {@code holds only under ...}
     * @param figures    measured figures beside what the seed says
     * @param finding    the verdict in a sentence, with the numbers
     */
    public record Claim(int number, String title, String seedWords, String conditions, String rule, String verdict,
                        List<Figure> figures, String finding) {
    }

    /** One measured figure: what, under which configuration, the measured median (min-max), and the seed's value. */
    public record Figure(String what, String configuration, String measured, String seed) {
    }

    /** One configuration's medians over its repetitions. */
    public record Configuration(int cell, String label, String group, String policy, String machine, int downloads,
                                int sessions, int runs, int succeeded, Double simulatedSeconds,
                                Double throughputBytesPerSecond, Double wouldBlocks, Double sleepSeconds,
                                Double networkCpuShare, Double downloadCpuShareMean, Double echoP50Ms, Double echoP99Ms) {
    }

    /** A chart: file name (SVG) and caption. */
    public record Chart(String name, String caption) {
    }
}
