package io.testbed.gateway.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The summary of a cell over its repetitions: median, min and max of each figure, over the runs that
 * have figures (succeeded, stopped, and failed runs whose machine could still be read).
 */
public final class Summary {

    /** The summarised figures, by the name the API and CSV use. */
    static final Map<String, Function<RunResult, Double>> FIGURES = new LinkedHashMap<>();

    static {
        FIGURES.put("simulatedSeconds", r -> r.timing().simulatedSeconds());
        FIGURES.put("meanDownloadSeconds", r -> r.timing().meanDownloadSeconds());
        FIGURES.put("throughputBytesPerSecond", r -> r.timing().throughputBytesPerSecond());
        FIGURES.put("perDownloadBytesPerSecond", r -> r.timing().perDownloadBytesPerSecond());
        FIGURES.put("wouldBlocks", r -> (double) r.io().wouldBlocks());
        FIGURES.put("sleepSeconds", r -> r.io().sleepSeconds());
        FIGURES.put("networkCpuShare", r -> r.cpu().networkCpuShare());
        FIGURES.put("downloadCpuShareMean", RunResult::downloadCpuShareMean);
        FIGURES.put("downloadCpuShareMin", RunResult::downloadCpuShareMin);
        FIGURES.put("downloadCpuShareMax", RunResult::downloadCpuShareMax);
        FIGURES.put("sessionCpuShare", r -> r.cpu().sessionCpuShare());
        FIGURES.put("idleCpuShare", r -> r.cpu().idleCpuShare());
        FIGURES.put("echoP50Ms", r -> r.echo().p50Ms());
        FIGURES.put("echoP99Ms", r -> r.echo().p99Ms());
        FIGURES.put("echoMaxMs", r -> r.echo().maxMs());
        FIGURES.put("networkSlotShare", r -> r.cpu().networkSlotShare());
        FIGURES.put("completedDownloads", r -> (double) r.completed());
        // keystrokes never echoed (issue 15): beside every echo percentile
        FIGURES.put("echoLoss", RunResult::echoLoss);
        FIGURES.put("unechoed", r -> r.unechoed() == null ? null : r.unechoed().doubleValue());
        FIGURES.put("bytes", r -> (double) r.io().bytes());
    }

    private Summary() {
    }

    /** Median (mean of the middle two for an even count), min, max and how many runs had the figure. */
    public record Stat(double median, double min, double max, int n) {
    }

    public static Map<String, Stat> of(List<RunResult> results) {
        Map<String, Stat> out = new LinkedHashMap<>();
        FIGURES.forEach((name, f) -> {
            Stat s = stat(results.stream().map(f).toList());
            if (s != null) {
                out.put(name, s);
            }
        });
        return out;
    }

    static Stat stat(List<Double> values) {
        List<Double> v = new ArrayList<>();
        values.forEach(x -> {
            if (x != null && !x.isNaN()) {
                v.add(x);
            }
        });
        if (v.isEmpty()) {
            return null;
        }
        Collections.sort(v);
        int n = v.size();
        double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return new Stat(median, v.get(0), v.get(n - 1), n);
    }
}
