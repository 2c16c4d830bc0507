package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.ExperimentView;
import io.testbed.gateway.experiment.RunResult;
import io.testbed.gateway.experiment.RunStatus;
import io.testbed.gateway.experiment.Summary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reproduction's charts as hand-written SVG (no charting library: the shapes are few and the
 * files stay small, diffable text): simulated time per would-block policy, CPU share per thread under
 * each scheduling policy, echo latency per configuration, and throughput against echo latency with its
 * trade-off frontier.
 */
final class SvgCharts {

    static final String POLICY_TIME = "policy-time.svg";
    static final String CPU_SHARE = "cpu-share.svg";
    static final String ECHO_LATENCY = "echo-latency.svg";
    static final String FRONTIER = "frontier.svg";

    private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac"};
    private static final int LABEL_W = 300;
    private static final int PLOT_W = 520;
    private static final int ROW_H = 22;

    private SvgCharts() {
    }

    static Map<String, String> all(ExperimentView e) {
        Map<String, String> charts = new LinkedHashMap<>();
        charts.put(POLICY_TIME, policyTime(e));
        charts.put(CPU_SHARE, cpuShare(e));
        charts.put(ECHO_LATENCY, echoLatency(e));
        charts.put(FRONTIER, frontier(e));
        return charts;
    }

    static List<Report.Chart> captions() {
        return List.of(
                new Report.Chart(POLICY_TIME, "Simulated download time per would-block policy (one download; bar: median, whisker: min-max)"),
                new Report.Chart(CPU_SHARE, "CPU share per thread under each scheduling policy and alternative (medians)"),
                new Report.Chart(ECHO_LATENCY, "Echo latency of the interactive sessions per configuration (each run's p50, p99 and max; log scale)"),
                new Report.Chart(FRONTIER, "Throughput against echo latency p99 for every configuration with sessions; the line joins the trade-off frontier"));
    }

    // ---- simulated time per would-block policy ----

    static String policyTime(ExperimentView e) {
        List<ExperimentView.CellView> cells = e.cells().stream().filter(c -> "policies".equals(c.group())).toList();
        double max = cells.stream().map(c -> c.summary().get("simulatedSeconds")).filter(s -> s != null)
                .mapToDouble(Summary.Stat::max).max().orElse(1);
        double top = niceCeil(max);
        Svg svg = new Svg(LABEL_W + PLOT_W + 80, 60 + cells.size() * ROW_H + 40, "Simulated download time per would-block policy");
        int y0 = 50;
        svg.axisX(LABEL_W, y0 + cells.size() * ROW_H, PLOT_W, 0, top, "simulated seconds", false);
        for (int i = 0; i < cells.size(); i++) {
            ExperimentView.CellView c = cells.get(i);
            int y = y0 + i * ROW_H;
            svg.label(LABEL_W - 6, y + 15, c.label(), "end");
            Summary.Stat s = c.summary().get("simulatedSeconds");
            if (s == null) {
                svg.label(LABEL_W + 4, y + 15, "no figures", "start");
                continue;
            }
            double w = s.median() / top * PLOT_W;
            svg.rect(LABEL_W, y + 4, w, ROW_H - 8, PALETTE[0], c.label() + ": " + fmt(s.median()) + " s");
            svg.line(LABEL_W + s.min() / top * PLOT_W, y + ROW_H / 2.0, LABEL_W + s.max() / top * PLOT_W, y + ROW_H / 2.0, "#333");
            svg.label(LABEL_W + w + 6, y + 15, fmt(s.median()) + " s", "start");
        }
        return svg.end();
    }

    // ---- CPU share per thread ----

    static String cpuShare(ExperimentView e) {
        List<ExperimentView.CellView> cells = e.cells().stream()
                .filter(c -> "scheduler".equals(c.group()) || "ratio-4".equals(c.group())).toList();
        int legendH = 30;
        Svg svg = new Svg(LABEL_W + PLOT_W + 80, 60 + legendH + cells.size() * ROW_H + 40, "CPU share per thread (simulated CPU time / simulated time)");
        int y0 = 50 + legendH;
        String[] parts = {"network", "idle", "sessions", "download 1", "download 2", "download 3", "download 4", "other downloads", "kernel / halted"};
        String[] colours = {"#e15759", "#bab0ac", "#f28e2b", "#4e79a7", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#eeeeee"};
        for (int i = 0; i < parts.length; i++) {
            svg.rect(LABEL_W + (i % 5) * 110, 36 + (i / 5) * 14 - 4, 10, 10, colours[i], parts[i]);
            svg.label(LABEL_W + (i % 5) * 110 + 14, 36 + (i / 5) * 14 + 5, parts[i], "start");
        }
        svg.axisX(LABEL_W, y0 + cells.size() * ROW_H, PLOT_W, 0, 100, "% of the CPU", false);
        for (int i = 0; i < cells.size(); i++) {
            ExperimentView.CellView c = cells.get(i);
            int y = y0 + i * ROW_H;
            svg.label(LABEL_W - 6, y + 15, c.label(), "end");
            List<RunResult> results = results(c);
            if (results.isEmpty()) {
                svg.label(LABEL_W + 4, y + 15, "no figures", "start");
                continue;
            }
            double[] shares = new double[parts.length];
            shares[0] = median(results, RunResult::networkCpuShare);
            shares[1] = median(results, RunResult::idleCpuShare);
            shares[2] = median(results, RunResult::sessionCpuShare);
            for (int d = 0; d < c.downloads(); d++) {
                int k = d;
                double v = median(results, r -> k < r.downloadCpuShares().size() ? r.downloadCpuShares().get(k) : null);
                shares[Math.min(3 + d, 7)] += v;
            }
            double sum = 0;
            for (int k = 0; k < parts.length - 1; k++) {
                sum += shares[k];
            }
            shares[parts.length - 1] = Math.max(0, 1 - sum);
            double x = LABEL_W;
            for (int k = 0; k < parts.length; k++) {
                double w = shares[k] * PLOT_W;
                if (w > 0) {
                    svg.rect(x, y + 4, w, ROW_H - 8, colours[k], c.label() + ": " + parts[k] + " " + fmt(shares[k] * 100) + "%");
                    x += w;
                }
            }
            svg.label(LABEL_W + PLOT_W + 6, y + 15, "net " + fmt(shares[0] * 100) + "%", "start");
        }
        return svg.end();
    }

    // ---- echo latency ----

    static String echoLatency(ExperimentView e) {
        List<ExperimentView.CellView> cells = e.cells().stream().filter(c -> c.sessions() > 0).toList();
        List<Double> all = new ArrayList<>();
        cells.forEach(c -> results(c).forEach(r -> {
            addIf(all, r.echoP50Ms());
            addIf(all, r.echoMaxMs());
        }));
        double lo = Math.max(0.01, all.stream().mapToDouble(Double::doubleValue).min().orElse(0.1));
        double hi = Math.max(lo * 10, all.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        double logLo = Math.floor(Math.log10(lo));
        double logHi = Math.ceil(Math.log10(hi));
        Svg svg = new Svg(LABEL_W + PLOT_W + 80, 80 + cells.size() * ROW_H + 40, "Echo latency of the interactive sessions (ms, log scale)");
        int y0 = 66;
        svg.rect(LABEL_W, 32, 10, 10, "#4e79a7", "p50");
        svg.label(LABEL_W + 14, 41, "p50", "start");
        svg.rect(LABEL_W + 60, 32, 10, 10, "#e15759", "p99");
        svg.label(LABEL_W + 74, 41, "p99", "start");
        svg.rect(LABEL_W + 120, 32, 10, 10, "#333333", "max");
        svg.label(LABEL_W + 134, 41, "max (bar: p50 to p99, medians)", "start");
        svg.axisX(LABEL_W, y0 + cells.size() * ROW_H, PLOT_W, logLo, logHi, "echo latency, ms", true);
        for (int i = 0; i < cells.size(); i++) {
            ExperimentView.CellView c = cells.get(i);
            int y = y0 + i * ROW_H;
            svg.label(LABEL_W - 6, y + 15, c.label(), "end");
            List<RunResult> rs = results(c).stream().filter(r -> r.echoP50Ms() != null).toList();
            if (rs.isEmpty()) {
                svg.label(LABEL_W + 4, y + 15, "no echoes", "start");
                continue;
            }
            double p50 = median(rs, RunResult::echoP50Ms);
            double p99 = median(rs, RunResult::echoP99Ms);
            double x50 = logX(p50, logLo, logHi), x99 = logX(p99, logLo, logHi);
            svg.rect(LABEL_W + x50, y + 8, Math.max(1, x99 - x50), ROW_H - 16, "#cfd8e6", c.label() + ": p50 " + fmt(p50) + " ms, p99 " + fmt(p99) + " ms");
            for (RunResult r : rs) {
                svg.dot(LABEL_W + logX(r.echoP50Ms(), logLo, logHi), y + ROW_H / 2.0, "#4e79a7", "p50 " + fmt(r.echoP50Ms()) + " ms");
                svg.dot(LABEL_W + logX(r.echoP99Ms(), logLo, logHi), y + ROW_H / 2.0, "#e15759", "p99 " + fmt(r.echoP99Ms()) + " ms");
                if (r.echoMaxMs() != null) {
                    svg.dot(LABEL_W + logX(r.echoMaxMs(), logLo, logHi), y + ROW_H / 2.0, "#333333", "max " + fmt(r.echoMaxMs()) + " ms");
                }
            }
        }
        return svg.end();
    }

    // ---- throughput against echo latency ----

    static String frontier(ExperimentView e) {
        record Point(String label, double throughput, double echo) {
        }
        List<Point> points = new ArrayList<>();
        for (ExperimentView.CellView c : e.cells()) {
            Summary.Stat tp = c.summary().get("throughputBytesPerSecond");
            Summary.Stat echo = c.summary().get("echoP99Ms");
            if (c.sessions() > 0 && tp != null && echo != null) {
                points.add(new Point(c.label(), tp.median() / 1024, Math.max(0.01, echo.median())));
            }
        }
        int w = 860, h = 520, left = 80, top = 50, pw = 560, ph = 400;
        Svg svg = new Svg(w, h, "Throughput against echo latency p99: the trade-off frontier");
        double maxTp = niceCeil(points.stream().mapToDouble(Point::throughput).max().orElse(1));
        double logLo = Math.floor(Math.log10(points.stream().mapToDouble(Point::echo).min().orElse(0.1)));
        double logHi = Math.max(logLo + 1, Math.ceil(Math.log10(points.stream().mapToDouble(Point::echo).max().orElse(1))));
        svg.axisX(left, top + ph, pw, 0, maxTp, "throughput, all downloads (KiB/s, simulated)", false);
        svg.axisY(left, top, ph, logLo, logHi, "echo latency p99 (ms, log)");
        // the frontier: no other point has both more throughput and less latency
        List<Point> frontier = points.stream().filter(p -> points.stream().noneMatch(q -> q != p
                        && q.throughput() >= p.throughput() && q.echo() <= p.echo() && (q.throughput() > p.throughput() || q.echo() < p.echo())))
                .sorted(Comparator.comparingDouble(Point::throughput)).toList();
        StringBuilder path = new StringBuilder();
        for (Point p : frontier) {
            path.append(path.length() == 0 ? "M" : " L").append(fmt(left + p.throughput() / maxTp * pw)).append(',')
                    .append(fmt(top + ph - logX(p.echo(), logLo, logHi) / PLOT_W * ph));
        }
        if (!frontier.isEmpty()) {
            svg.raw("<path d=\"" + path + "\" fill=\"none\" stroke=\"#59a14f\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>");
        }
        // frontier points are labelled first; a label that would overlap one already placed is left to the tooltip
        List<Point> order = new ArrayList<>(frontier);
        points.stream().filter(p -> !frontier.contains(p)).forEach(order::add);
        List<double[]> placed = new ArrayList<>();
        for (Point p : order) {
            double x = left + p.throughput() / maxTp * pw;
            double y = top + ph - logX(p.echo(), logLo, logHi) / PLOT_W * ph;
            boolean onFrontier = frontier.contains(p);
            svg.dot(x, y, onFrontier ? "#59a14f" : PALETTE[0], p.label() + ": " + fmt(p.throughput()) + " KiB/s, p99 " + fmt(p.echo()) + " ms");
            double[] box = {x + 6, y - 14, x + 6 + 6.2 * p.label().length(), y};
            boolean free = placed.stream().noneMatch(b -> b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]);
            if (free) {
                placed.add(box);
                svg.label(box[0], y - 4, p.label(), "start");
            }
        }
        return svg.end();
    }

    // ---- helpers ----

    private static List<RunResult> results(ExperimentView.CellView c) {
        return c.runs().stream().filter(r -> r.result() != null && !RunStatus.CANCELLED.equals(r.status()))
                .map(ExperimentView.RunView::result).toList();
    }

    private static double median(List<RunResult> rs, java.util.function.Function<RunResult, Double> f) {
        List<Double> v = new ArrayList<>();
        rs.forEach(r -> addIf(v, f.apply(r)));
        if (v.isEmpty()) {
            return 0;
        }
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static void addIf(List<Double> list, Double v) {
        if (v != null && !v.isNaN()) {
            list.add(v);
        }
    }

    /** Position on a log axis of {@link #PLOT_W} pixels from 10^lo to 10^hi. */
    private static double logX(double v, double lo, double hi) {
        double l = Math.log10(Math.max(v, 1e-9));
        return Math.max(0, Math.min(1, (l - lo) / (hi - lo))) * PLOT_W;
    }

    static double niceCeil(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String fmt(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A minimal SVG writer. */
    private static final class Svg {
        private final StringBuilder b = new StringBuilder();

        Svg(int width, int height, String title) {
            b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                    .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                    .append("\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n")
                    .append("<title>").append(esc(title)).append("</title>\n")
                    .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
                    .append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">").append(esc(title)).append("</text>\n");
        }

        void rect(double x, double y, double w, double h, String fill, String tip) {
            b.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(w))
                    .append("\" height=\"").append(fmt(h)).append("\" fill=\"").append(fill).append("\"><title>")
                    .append(esc(tip)).append("</title></rect>\n");
        }

        void dot(double x, double y, String fill, String tip) {
            b.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"4\" fill=\"").append(fill)
                    .append("\" fill-opacity=\"0.85\"><title>").append(esc(tip)).append("</title></circle>\n");
        }

        void line(double x1, double y1, double x2, double y2, String stroke) {
            b.append("<line x1=\"").append(fmt(x1)).append("\" y1=\"").append(fmt(y1)).append("\" x2=\"").append(fmt(x2))
                    .append("\" y2=\"").append(fmt(y2)).append("\" stroke=\"").append(stroke).append("\"/>\n");
        }

        void label(double x, double y, String text, String anchor) {
            b.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" text-anchor=\"").append(anchor)
                    .append("\">").append(esc(text)).append("</text>\n");
        }

        void raw(String s) {
            b.append(s).append('\n');
        }

        /** A horizontal axis from {@code lo} to {@code hi} (powers of ten when {@code log}). */
        void axisX(double x, double y, double w, double lo, double hi, String title, boolean log) {
            line(x, y, x + w, y, "#333");
            int ticks = log ? (int) (hi - lo) : 5;
            for (int i = 0; i <= ticks; i++) {
                double tx = x + w * i / ticks;
                line(tx, y, tx, y + 4, "#333");
                double v = log ? Math.pow(10, lo + i) : lo + (hi - lo) * i / ticks;
                label(tx, y + 16, log ? trimLog(v) : fmt(v), "middle");
            }
            label(x + w / 2, y + 32, title, "middle");
        }

        /** A vertical log axis from 10^lo (bottom) to 10^hi (top). */
        void axisY(double x, double y, double h, double lo, double hi, String title) {
            line(x, y, x, y + h, "#333");
            int ticks = (int) (hi - lo);
            for (int i = 0; i <= ticks; i++) {
                double ty = y + h - h * i / ticks;
                line(x - 4, ty, x, ty, "#333");
                label(x - 6, ty + 4, trimLog(Math.pow(10, lo + i)), "end");
            }
            b.append("<text x=\"").append(fmt(x - 50)).append("\" y=\"").append(fmt(y + h / 2)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 ")
                    .append(fmt(x - 50)).append(' ').append(fmt(y + h / 2)).append(")\">").append(esc(title)).append("</text>\n");
        }

        private static String trimLog(double v) {
            return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", Double.toString(v).replaceAll("0+$", ""));
        }

        String end() {
            return b.append("</svg>\n").toString();
        }
    }
}
