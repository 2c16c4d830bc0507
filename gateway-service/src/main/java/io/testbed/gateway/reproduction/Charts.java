package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.ExperimentView;
import io.testbed.gateway.experiment.Summary;
import io.testbed.gateway.experiment.TimeSplit;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reproduction's charts, drawn by JFreeChart onto JFreeSVG (static SVG files: reports/charts/ and
 * the results page): where each configuration's download time went (stacked), simulated time per
 * would-block policy, CPU share per thread, and echo latency with the keystrokes never echoed.
 */
final class Charts {

    static final String BREAKDOWN = "breakdown.svg";
    static final String POLICY_TIME = "policy-time.svg";
    static final String CPU_SHARE = "cpu-share.svg";
    static final String ECHO_LATENCY = "echo-latency.svg";

    /** One colour per series; the breakdown has the most (TimeSplit.Part: the client CPU's three kinds first, in blues). */
    private static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xa0cbe8), new Color(0x1f3f66), new Color(0xf28e2b),
            new Color(0x59a14f), new Color(0xe15759), new Color(0x76b7b2), new Color(0xedc948), new Color(0xb07aa1),
            new Color(0xff9da7), new Color(0x9c755f), new Color(0xbab0ac)};

    private Charts() {
    }

    static List<Report.Chart> captions() {
        return List.of(
                new Report.Chart(BREAKDOWN, "Where each download's simulated time went, per configuration (mean over its downloads and runs;"
                        + " seconds): client CPU by kind (TLS, pack, other), client file I/O, kernel work, sleeping after would-block,"
                        + " runnable but not scheduled, waiting on the network"),
                new Report.Chart(POLICY_TIME, "Simulated download time per would-block policy on the seed's commit (medians)"),
                new Report.Chart(CPU_SHARE, "CPU share per thread kind under load, per configuration (medians)"),
                new Report.Chart(ECHO_LATENCY, "Echo latency p50 and p99 of the interactive sessions per configuration (medians, log scale);"
                        + " the label gives the share of keystrokes never echoed"));
    }

    static Map<String, String> all(ExperimentView e, Report report) {
        Map<String, String> charts = new LinkedHashMap<>();
        charts.put(BREAKDOWN, breakdown(report.configurations()));
        charts.put(POLICY_TIME, policyTime(e));
        charts.put(CPU_SHARE, cpuShare(e));
        charts.put(ECHO_LATENCY, echoLatency(e));
        return charts;
    }

    /** The stacked bars of where the time went, one per configuration with a time split. */
    static String breakdown(List<Report.Configuration> configurations) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        int rows = 0;
        for (Report.Configuration c : configurations) {
            TimeSplit t = c.time();
            if (t == null) {
                continue;
            }
            rows++;
            for (Map.Entry<String, Double> p : t.parts().entrySet()) {
                d.addValue(p.getValue(), p.getKey(), c.label());
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart("Where the download's time went", null, "simulated seconds per download", d,
                PlotOrientation.HORIZONTAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
        style(chart, r);
        return svg(chart, 1000, Math.max(300, 140 + rows * 26));
    }

    static String policyTime(ExperimentView e) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        e.cells().stream().filter(c -> "policies".equals(c.group())).forEach(c -> {
            Summary.Stat s = c.summary().get("simulatedSeconds");
            if (s != null) {
                d.addValue(s.median(), "simulated time (median)", c.label());
            }
        });
        JFreeChart chart = ChartFactory.createBarChart("Simulated download time per would-block policy", null, "simulated seconds", d,
                PlotOrientation.HORIZONTAL, false, false, false);
        style(chart, (BarRenderer) chart.getCategoryPlot().getRenderer());
        return svg(chart, 900, 120 + d.getColumnCount() * 40);
    }

    static String cpuShare(ExperimentView e) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("network thread", "networkCpuShare");
        figures.put("thread 0 (idle loop)", "idleCpuShare");
        figures.put("sessions", "sessionCpuShare");
        figures.put("each download (mean)", "downloadCpuShareMean");
        List<ExperimentView.CellView> cells = e.cells().stream().filter(c -> "load".equals(c.group()) || "ratio-4".equals(c.group())).toList();
        for (ExperimentView.CellView c : cells) {
            figures.forEach((name, figure) -> {
                Summary.Stat s = c.summary().get(figure);
                d.addValue(s == null ? 0 : 100 * s.median(), name, c.label());
            });
        }
        JFreeChart chart = ChartFactory.createBarChart("CPU share per thread kind", null, "% of the machine's simulated time", d,
                PlotOrientation.HORIZONTAL, true, false, false);
        style(chart, (BarRenderer) chart.getCategoryPlot().getRenderer());
        return svg(chart, 1000, Math.max(300, 140 + cells.size() * 60));
    }

    static String echoLatency(ExperimentView e) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        int n = 0;
        for (ExperimentView.CellView c : e.cells()) {
            if (c.sessions() == 0 || c.group() == null || c.group().startsWith(Sensitivity.GROUP_PREFIX)) {
                continue;
            }
            Summary.Stat p50 = c.summary().get("echoP50Ms");
            Summary.Stat p99 = c.summary().get("echoP99Ms");
            Summary.Stat loss = c.summary().get("echoLoss");
            String label = c.label() + (loss == null ? "" : String.format(java.util.Locale.ROOT, " [%.0f%% never echoed]", 100 * loss.median()));
            d.addValue(p50 == null ? 0.01 : Math.max(0.01, p50.median()), "p50", label);
            d.addValue(p99 == null ? 0.01 : Math.max(0.01, p99.median()), "p99", label);
            n++;
        }
        JFreeChart chart = ChartFactory.createBarChart("Echo latency of the interactive sessions", null, "ms (log scale)", d,
                PlotOrientation.HORIZONTAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        LogAxis log = new LogAxis("ms (log scale)");
        log.setSmallestValue(0.01);
        plot.setRangeAxis(log);
        style(chart, (BarRenderer) plot.getRenderer());
        return svg(chart, 1000, Math.max(300, 140 + n * 40));
    }

    private static void style(JFreeChart chart, BarRenderer r) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        CategoryAxis axis = plot.getDomainAxis();
        axis.setMaximumCategoryLabelWidthRatio(0.45f);
        axis.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < PALETTE.length; i++) {
            r.setSeriesPaint(i, PALETTE[i]);
        }
    }

    private static String svg(JFreeChart chart, int w, int h) {
        SVGGraphics2D g = new SVGGraphics2D(w, h);
        chart.draw(g, new Rectangle(0, 0, w, h));
        return g.getSVGElement() + "\n";
    }
}
