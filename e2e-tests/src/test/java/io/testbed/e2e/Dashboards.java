package io.testbed.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Grafana dashboards of {@code grafana/dashboards/}: their panels, queries and template variables. */
final class Dashboards {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Grafana's built-in interval variables, as the contract test substitutes them. */
    static final Map<String, String> BUILT_INS = Map.of(
            "__rate_interval", "1m", "__interval", "15s", "__range", "1h");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(?:(.+?)\\s*,\\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?}|\\$([a-zA-Z_][a-zA-Z0-9_]*)");

    record Dashboard(Path file, JsonNode json) {
        String uid() {
            return json.path("uid").asText();
        }

        String title() {
            return json.path("title").asText();
        }

        /** Every panel, rows' nested panels included, rows themselves excluded. */
        List<JsonNode> panels() {
            List<JsonNode> out = new ArrayList<>();
            collect(json.path("panels"), out);
            return out;
        }

        List<Query> queries() {
            List<Query> out = new ArrayList<>();
            for (JsonNode panel : panels()) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText("");
                    if (!expr.isBlank()) {
                        out.add(new Query(this, panel.path("title").asText(), target.path("refId").asText(), expr));
                    }
                }
            }
            return out;
        }

        List<Variable> variables() {
            List<Variable> out = new ArrayList<>();
            for (JsonNode v : json.path("templating").path("list")) {
                JsonNode q = v.path("query");
                String query = q.isObject() ? q.path("query").asText() : q.asText();
                out.add(new Variable(v.path("name").asText(), v.path("type").asText(), query, v));
            }
            return out;
        }

        private static void collect(JsonNode panels, List<JsonNode> out) {
            for (JsonNode p : panels) {
                if (!"row".equals(p.path("type").asText())) {
                    out.add(p);
                }
                collect(p.path("panels"), out);
            }
        }
    }

    record Query(Dashboard dashboard, String panel, String refId, String expr) {
        /** The expression with Grafana's built-ins and the given template variable values substituted. */
        String substituted(Map<String, String> values) {
            Matcher m = VARIABLE.matcher(expr);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                String value = BUILT_INS.containsKey(name) ? BUILT_INS.get(name) : values.get(name);
                if (value == null) {
                    throw new AssertionError(this + " uses $" + name + ", which the dashboard does not define");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }

        @Override
        public String toString() {
            return dashboard.file().getFileName() + " / \"" + panel + "\" / " + refId;
        }
    }

    /** A template variable; for {@code label_values(metric, label)} queries, {@link #metric} and {@link #label}. */
    record Variable(String name, String type, String query, JsonNode json) {
        String metric() {
            Matcher m = LABEL_VALUES.matcher(query);
            return m.matches() ? m.group(1) : null;
        }

        String label() {
            Matcher m = LABEL_VALUES.matcher(query);
            return m.matches() ? m.group(2) : null;
        }
    }

    static Path dir(Path root) {
        return root.resolve("grafana/dashboards");
    }

    static List<Dashboard> load(Path root) throws IOException {
        List<Dashboard> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir(root))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(new Dashboard(f, JSON.readTree(f.toFile())));
            }
        }
        return out;
    }

    private Dashboards() {
    }
}
