package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.ExperimentView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sensitivity analysis's outcome: each variant's cells (group {@code sens:<variant>|<group>}, the
 * main run's cells for those the variant does not change) judged again, a row of verdicts per variant,
 * and each claim marked robust (the same verdict under every variant) or fragile (naming the inputs
 * that flip it).
 */
record SensitivityResult(List<Report.Claim> claims, List<Report.SensitivityRow> rows) {

    static final String ROBUST = "robust";
    static final String FRAGILE = "fragile";

    static SensitivityResult of(ExperimentView experiment, List<Report.Claim> main, String set) {
        Map<String, ExperimentView.CellView> base = ClaimJudge.mainCells(experiment.cells());
        Map<String, Map<String, ExperimentView.CellView>> byVariant = new LinkedHashMap<>();
        for (ExperimentView.CellView c : experiment.cells()) {
            if (c.group() == null || !c.group().startsWith(Sensitivity.GROUP_PREFIX)) {
                continue;
            }
            String variant = c.group().substring(Sensitivity.GROUP_PREFIX.length(), c.group().indexOf('|'));
            byVariant.computeIfAbsent(variant, v -> new LinkedHashMap<>(base)).put(c.label(), c);
        }
        if (byVariant.isEmpty()) {
            return new SensitivityResult(main, List.of());
        }
        List<Report.SensitivityRow> rows = new ArrayList<>();
        List<List<String>> flips = new ArrayList<>();
        main.forEach(c -> flips.add(new ArrayList<>()));
        for (Map.Entry<String, Map<String, ExperimentView.CellView>> e : byVariant.entrySet()) {
            List<Report.Claim> again = new ClaimJudge(e.getValue()).claims();
            List<String> verdicts = new ArrayList<>();
            for (int i = 0; i < main.size(); i++) {
                String v = again.get(i).verdict();
                verdicts.add(v);
                if (!v.equals(main.get(i).verdict())) {
                    flips.get(i).add(describe(e.getKey()) + ": " + v);
                }
            }
            rows.add(new Report.SensitivityRow(input(e.getKey()), value(e.getKey()), verdicts));
        }
        List<Report.Claim> judged = new ArrayList<>();
        for (int i = 0; i < main.size(); i++) {
            judged.add(main.get(i).withRobustness(flips.get(i).isEmpty() ? ROBUST : FRAGILE, List.copyOf(flips.get(i))));
        }
        return new SensitivityResult(judged, rows);
    }

    /** A variant's input and value from its name ({@code costs-half}, {@code jitter-0}, {@code cpu-off}, ...). */
    static String describe(String variant) {
        return input(variant) + " " + value(variant);
    }

    static String input(String variant) {
        String head = variant.replaceAll("-(half|double|\\d+|off)$", "");
        return switch (head) {
            case "costs" -> "kernel cost table (TCG factor, fitted on C3)";
            case "irq" -> "timer.irq_latency_us (fitted on C1)";
            case "sector" -> "cost.sector_ns (estimate)";
            case "lat" -> "link latency";
            case "jitter" -> "link jitter";
            case "sessions" -> "interactive sessions";
            case "cpu" -> "userspace CPU model";
            default -> head;
        };
    }

    static String value(String variant) {
        if (variant.endsWith("-half")) {
            return "x0.5";
        }
        if (variant.endsWith("-double")) {
            return "x2";
        }
        if (variant.endsWith("-off")) {
            return "off";
        }
        String n = variant.substring(variant.lastIndexOf('-') + 1);
        return switch (variant.substring(0, variant.lastIndexOf('-'))) {
            case "lat", "jitter" -> n + " us";
            default -> n;
        };
    }
}
