package io.testbed.bench.e2e;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Runs what {@code make bench} runs and writes the report and the table. */
public final class EndToEndRunner {
    private static final String BEGIN = "<!-- bench:begin (written by make bench) -->";
    private static final String END = "<!-- bench:end -->";

    private EndToEndRunner() {
    }

    public static int run(String[] argv) throws Exception {
        Map<String, String> a = options(argv);
        if (a == null) {
            System.out.println(HELP);
            return 0;
        }
        Path outFile = Path.of(a.getOrDefault("out", "reports/bench.json"));
        ObjectNode previous = a.containsKey("merge") && Files.exists(outFile)
                ? (ObjectNode) Stack.JSON.readTree(Files.readString(outFile)) : null;
        ObjectNode out = Stack.JSON.createObjectNode();
        out.put("when", Instant.now().toString());
        describeMachine(out.putObject("machine"));
        if (!a.containsKey("skip-jmh")) {
            jmh(out.putObject("jmh"), outFile.resolveSibling("jmh.json"));
        } else if (previous != null && previous.has("jmh")) {
            out.set("jmh", previous.get("jmh"));
        }
        if (!a.containsKey("skip-e2e") && !endToEnd(a, out, previous)) {
            return 2;
        }
        out.set("reproduction", reproduction(outFile.getParent()));
        out.put("loadAtEnd", Stack.load());
        String table = write(out, outFile);
        updateDoc(Path.of(a.getOrDefault("doc", "docs/BENCHMARKS.md")), table);
        return 0;
    }

    static final String HELP = """
            usage: java -jar benchmarks/target/benchmarks.jar [options]
              --skip-jmh            no JMH micro-benchmarks
              --skip-e2e            no end-to-end benchmarks (no stack needed)
              --only=LIST           end-to-end parts: speed,overhead,concurrency,memory,parallel,rtt,reproduce (default all;
                                    reproduce: two reproductions without sensitivity runs, ~2-4 min)
              --repeats=N           measured runs per figure after one warm-up (default 3)
              --gateway=URL         default http://127.0.0.1:8080
              --tls-client=URL      default http://127.0.0.1:8082
              --kernel=HOST:PORT    kernel-sim gRPC, default 127.0.0.1:50051
              --rtt-samples=N       gRPC round trips measured (default 20000)
              --out=FILE            default reports/bench.json
              --merge               keep the parts of FILE that this run does not redo (JMH, other e2e parts)
              --doc=FILE            table into this file between its markers, default docs/BENCHMARKS.md
            JMH alone, with its own options: java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main -h""";

    /** {@code --name=value} and {@code --flag} options by name; null when help is asked for. */
    private static Map<String, String> options(String[] argv) {
        Map<String, String> a = new TreeMap<>();
        for (String s : argv) {
            if (s.equals("--help") || s.equals("-h")) {
                return null;
            }
            int eq = s.indexOf('=');
            a.put(eq < 0 ? s.replaceFirst("^--", "") : s.substring(2, eq), eq < 0 ? "true" : s.substring(eq + 1));
        }
        return a;
    }

    private static void describeMachine(ObjectNode machine) {
        machine.put("nproc", Runtime.getRuntime().availableProcessors());
        machine.put("memoryMb", memTotalMb());
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("loadAtStart", Stack.load());
        machine.put("cpu", cpuModel());
    }

    /** The end-to-end parts asked for, against the running stack; false (after saying why) when it is not running. */
    private static boolean endToEnd(Map<String, String> a, ObjectNode out, ObjectNode previous) throws Exception {
        List<String> only = List.of(a.getOrDefault("only", "rtt,speed,overhead,concurrency,memory,parallel,reproduce").split(","));
        int repeats = Integer.parseInt(a.getOrDefault("repeats", "3"));
        String kernel = a.getOrDefault("kernel", "127.0.0.1:50051");
        try (Stack stack = new Stack(a.getOrDefault("gateway", "http://127.0.0.1:8080"),
                a.getOrDefault("tls-client", "http://127.0.0.1:8082"), kernel, Path.of(".run"))) {
            if (stack.status(stack.gateway + "/actuator/health") != 200 || stack.status(stack.tlsClient + "/actuator/health") != 200) {
                System.err.println("The stack is not running (gateway or tls-client health not 200): start it with `sh scripts/stack.sh start`"
                        + " (or make run), or pass --skip-e2e.");
                return false;
            }
            ObjectNode e2e = out.putObject("e2e");
            if (previous != null && previous.has("e2e")) {
                e2e.setAll((ObjectNode) previous.get("e2e"));
                out.put("e2eMergedInto", previous.path("when").asText());
            }
            EndToEnd e = new EndToEnd(stack, e2e, kernel, repeats);
            if (only.contains("rtt")) {
                e.roundTrip(Integer.parseInt(a.getOrDefault("rtt-samples", "20000")));
            }
            if (only.contains("speed")) {
                e.virtualClockSpeed();
            }
            if (only.contains("overhead")) {
                e.overhead();
            }
            if (only.contains("reproduce")) {
                e.reproduce(2);
            }
            if (only.contains("concurrency")) {
                // akuma-2026-01-31 has 24 user slots and its herd daemon holds one: 23 downloads at most
                e.concurrency(List.of(1, 4, 16, EndToEnd.MAX_DOWNLOADS));
            }
            if (only.contains("memory")) {
                e.memory(List.of("pack-256k", "pack-1m", "pack-4m"));
            }
            if (only.contains("parallel")) {
                e.parallelMachines(8);
            }
        }
        return true;
    }

    /** Writes the report, prints its table and returns it. */
    private static String write(ObjectNode out, Path outFile) throws IOException {
        Files.createDirectories(outFile.toAbsolutePath().getParent());
        Files.writeString(outFile, Stack.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
        String table = Table.of(out);
        System.out.println();
        System.out.println(table);
        System.out.println("Written: " + outFile);
        return table;
    }

    /** Replaces the table between the markers of {@code doc}, if it has them. */
    private static void updateDoc(Path doc, String table) throws IOException {
        if (Files.exists(doc)) {
            String text = Files.readString(doc);
            int i = text.indexOf(BEGIN);
            int j = text.indexOf(END);
            if (i >= 0 && j > i) {
                Files.writeString(doc, text.substring(0, i + BEGIN.length()) + "\n" + table + "\n" + text.substring(j));
                System.out.println("Table updated in " + doc);
            }
        }
    }

    private static void jmh(ObjectNode j, Path result) throws Exception {
        Files.createDirectories(result.toAbsolutePath().getParent());
        ChainedOptionsBuilder o = new OptionsBuilder().include("io\\.testbed\\.bench\\.jmh\\..*")
                .warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(4).measurementTime(TimeValue.seconds(3)).forks(1)
                .resultFormat(ResultFormatType.JSON).result(result.toString());
        j.put("loadAtStart", Stack.load());
        Collection<RunResult> results = new Runner(o.build()).run();
        j.put("loadAtEnd", Stack.load());
        j.put("settings", "1 fork, 2 x 2 s warm-up, 4 x 3 s measurement (raw results: " + result + ")");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceFirst("^.*\\.jmh\\.", "");
            StringBuilder key = new StringBuilder(name);
            for (String p : r.getParams().getParamsKeys()) {
                key.append(' ').append(p).append('=').append(r.getParams().getParam(p));
            }
            ObjectNode n = j.putObject(key.toString());
            BenchmarkResult agg = r.getAggregatedResult();
            Result<?> primary = r.getPrimaryResult();
            n.put("score", primary.getScore());
            n.put("error", primary.getScoreError());
            n.put("unit", primary.getScoreUnit());
            if (primary.getStatistics().getN() > 0 && name.contains("RoundTrip")) {
                n.put("p50", primary.getStatistics().getPercentile(50));
                n.put("p90", primary.getStatistics().getPercentile(90));
                n.put("p99", primary.getStatistics().getPercentile(99));
                n.put("p999", primary.getStatistics().getPercentile(99.9));
            }
            Map<String, Result> sec = agg.getSecondaryResults();
            if (sec.containsKey("events")) {
                n.put("eventsPerSecond", sec.get("events").getScore());
                n.put("eventsPerSecondError", sec.get("events").getScoreError());
            }
            if (sec.containsKey("cpuNs") && sec.containsKey("cpuEvents")) {
                // EVENTS counters: the aggregated score is the sum over iterations
                double cpuNs = sec.get("cpuNs").getScore();
                double ev = sec.get("cpuEvents").getScore();
                n.put("eventsPerCpuSecond", cpuNs > 0 ? ev / cpuNs * 1e9 : -1);
            }
        }
    }

    /** The reproduction's wall time, if its engineer's report is in reports/. */
    private static JsonNode reproduction(Path reports) {
        ObjectNode r = Stack.JSON.createObjectNode();
        r.put("measured", false);
        if (reports == null || !Files.isDirectory(reports)) {
            return r;
        }
        try (var files = Files.list(reports)) {
            for (Path p : files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).contains("reproduc")
                    && f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode n = Stack.JSON.readTree(Files.readString(p));
                for (String k : List.of("wallSeconds", "wall_seconds", "totalWallSeconds")) {
                    JsonNode v = n.findValue(k);
                    if (v != null && v.isNumber()) {
                        r.put("measured", true);
                        r.put("file", p.toString());
                        r.put("wallSeconds", v.asDouble());
                        return r;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            r.put("error", e.toString());
        }
        return r;
    }

    private static long memTotalMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return ManagementFactory.getOperatingSystemMXBean().getArch();
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
