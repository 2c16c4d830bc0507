package io.testbed.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docs/METRICS.md} read as data: one {@link Entry} per table row, under the service whose
 * section ({@code ## <service> ...}) holds the table. Which Prometheus names count as custom is the
 * rule that file states: the prefixes of {@link #CUSTOM}.
 */
final class MetricsCatalogue {
    static final Pattern CUSTOM = Pattern.compile("^(kernel|tls_client|gateway|git_server|grpc)_[a-z0-9_]+$");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern TYPE_LINE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");

    /** A documented meter: its Micrometer name, the Prometheus families it becomes, when it appears. */
    record Entry(String service, String micrometer, List<String> prometheus, String appears) {
        /** Whether a healthy stack exposes it after one download (not only after a rarer event). */
        boolean expectedAfterOneDownload() {
            return !"event".equals(appears);
        }
    }

    static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        String service = null;
        int prometheusColumn = -1;
        int appearsColumn = -1;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("## ")) {
                service = line.substring(3).trim().split("\\s+")[0];
                prometheusColumn = -1;
                continue;
            }
            if (!line.startsWith("|")) {
                prometheusColumn = -1;
                continue;
            }
            List<String> cells = cells(line);
            if (cells.contains("Prometheus")) {
                prometheusColumn = cells.indexOf("Prometheus");
                appearsColumn = cells.indexOf("appears");
                continue;
            }
            if (prometheusColumn < 0 || cells.get(0).startsWith("---")) {
                continue;
            }
            List<String> names = new ArrayList<>();
            Matcher m = CODE.matcher(cells.get(prometheusColumn));
            while (m.find()) {
                names.add(m.group(1));
            }
            Matcher micrometer = CODE.matcher(cells.get(0));
            entries.add(new Entry(service, micrometer.find() ? micrometer.group(1) : cells.get(0), names,
                    appearsColumn < 0 ? "" : cells.get(appearsColumn)));
        }
        return entries;
    }

    private static List<String> cells(String row) {
        String inner = row.trim();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> out = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) {
            out.add(c.trim());
        }
        return out;
    }

    /** The custom metric families of a Prometheus text exposition, by their {@code # TYPE} lines. */
    static Set<String> customFamilies(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            Matcher m = TYPE_LINE.matcher(line.trim());
            if (m.matches() && CUSTOM.matcher(m.group(1)).matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private MetricsCatalogue() {
    }
}
