import io.testbed.scripts.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reproduces the seed's claims against a running gateway and writes the report: POST
 * /api/reproductions, follow it, then save reports/reproduction.md, reports/reproduction.json and
 * reports/charts/*.svg. `make reproduce` starts the stack first (scripts/stack.sh start).
 *
 * <pre>make reproduce REPRODUCE_ARGS="[--gateway http://127.0.0.1:8080] [--repo pack-4m] [--load-repo pack-256k]
 *                            [--repetitions 3] [--seed 1] [--cpu modelled] [--client scratch] [--full-sensitivity | --no-sensitivity]
 *                            [--out reports] [--timeout-min 90]"</pre>
 * (make compiles the shared JSON reader, scripts/lib, into .run/scripts and runs
 * {@code java -cp .run/scripts scripts/Reproduce.java}; Java 17's launcher compiles one file only.)
 * At the end it prints the verdict table (with robust / fragile) and where the downloads' time went.
 */
public class Reproduce {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("gateway", "http://127.0.0.1:8080", "repo", "pack-4m",
                "repetitions", "3", "seed", "1", "out", "reports", "timeout-min", "90"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--full-sensitivity") || args[i].equals("--no-sensitivity")) {
                opt.put("sensitivity", args[i].equals("--full-sensitivity") ? "full" : "none");
                continue;
            }
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("usage: make reproduce REPRODUCE_ARGS=\"[--gateway URL] [--repo pack-4m] [--repetitions 3] [--seed 1]"
                        + " [--load-repo pack-256k] [--cpu zero|modelled] [--client scratch] [--full-sensitivity | --no-sensitivity]"
                        + " [--out reports] [--timeout-min 90]\"");
                return;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                fail("unexpected argument '" + args[i] + "' (try --help)");
            }
            opt.put(args[i].substring(2), args[++i]);
        }
        String gateway = opt.get("gateway").replaceAll("/+$", "");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();

        StringBuilder body = new StringBuilder("{\"repo\":\"" + opt.get("repo") + "\",\"repetitions\":" + opt.get("repetitions")
                + ",\"seed\":" + opt.get("seed"));
        for (String k : List.of("cpu", "client", "sensitivity", "load-repo")) {
            if (opt.containsKey(k)) {
                String field = k.equals("load-repo") ? "loadRepo" : k;
                body.append(",\"").append(field).append("\":\"").append(opt.get(k)).append('"');
            }
        }
        body.append('}');
        HttpResponse<String> accepted = send(http, withToken(HttpRequest.newBuilder(URI.create(gateway + "/api/reproductions")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        if (accepted.statusCode() != 202) {
            fail("the gateway answered " + accepted.statusCode() + " to POST /api/reproductions: " + accepted.body());
        }
        Map<String, Object> started = obj(Json.parse(accepted.body()));
        String id = (String) started.get("id");
        Map<String, Object> progress = obj(started.get("progress"));
        System.out.printf("Reproduction %s started: %s, %s repetitions, %s runs (experiment %s)%n", id, opt.get("repo"),
                opt.get("repetitions"), num(progress.get("total")), started.get("experimentId"));

        long deadline = System.nanoTime() + Duration.ofMinutes(Long.parseLong(opt.get("timeout-min"))).toNanos();
        Map<String, Object> view;
        String last = "";
        while (true) {
            view = obj(Json.parse(get(http, gateway + "/api/reproductions/" + id)));
            String status = (String) view.get("status");
            Map<String, Object> p = obj(view.get("progress"));
            String now = p == null ? status : String.format("%s: %d of %d runs ended (%d succeeded, %d failed, %d stopped)", status,
                    num(p.get("succeeded")) + num(p.get("failed")) + num(p.get("stopped")) + num(p.get("cancelled")), num(p.get("total")),
                    num(p.get("succeeded")), num(p.get("failed")), num(p.get("stopped")));
            if (!now.equals(last)) {
                System.out.printf("  [%4.0f s] %s%n", (System.nanoTime() - start) / 1e9, now);
                last = now;
            }
            if (!"running".equals(status)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("still running after " + opt.get("timeout-min") + " min; it goes on in the gateway: GET " + gateway + "/api/reproductions/" + id);
            }
            Thread.sleep(2000);
        }
        if (!"completed".equals(view.get("status"))) {
            fail("reproduction " + id + " " + view.get("status") + ": " + view.get("error"));
        }

        Path out = Path.of(opt.get("out"));
        Files.createDirectories(out.resolve("charts"));
        Files.writeString(out.resolve("reproduction.md"), get(http, gateway + "/api/reproductions/" + id + "/report.md"));
        Files.writeString(out.resolve("reproduction.json"), get(http, gateway + "/api/reproductions/" + id + "/report.json"));
        for (Object link : (List<?>) obj(view.get("links")).get("charts")) {
            String path = (String) link;
            Files.writeString(out.resolve("charts").resolve(path.substring(path.lastIndexOf('/') + 1)), get(http, gateway + path));
        }
        Map<String, Object> report = obj(Json.parse(get(http, gateway + "/api/reproductions/" + id + "/report.json")));
        System.out.println();
        System.out.println("Where the time went (simulated s per download, mean):");
        for (Object o : (List<?>) report.get("configurations")) {
            Map<String, Object> c = obj(o);
            Map<String, Object> t = obj(c.get("time"));
            if (t == null) {
                continue;
            }
            System.out.printf("  %-62s total %8.2f  cpu %6.2f (tls %6.2f pack %6.2f)  file %7.2f  kernel %6.2f  asleep %7.2f  ready %6.2f  net %7.2f%n",
                    c.get("label"), dbl(t.get("total")), dbl(t.get("clientCpu")), dbl(t.get("clientCpuTls")), dbl(t.get("clientCpuPack")),
                    dbl(t.get("fileIo")), dbl(t.get("kernel")),
                    dbl(t.get("sleeping")), dbl(t.get("ready")),
                    dbl(t.get("networkSpin")) + dbl(t.get("networkReady")) + dbl(t.get("networkBlocked")));
        }
        System.out.println();
        System.out.println("  #  verdict                                              robustness  claim");
        for (Object o : (List<?>) report.get("claims")) {
            Map<String, Object> v = obj(o);
            String verdict = String.valueOf(v.get("verdict"));
            System.out.printf("  %d  %-52s %-10s  %s%n", num(v.get("number")), verdict.length() > 52 ? verdict.substring(0, 49) + "..." : verdict,
                    v.get("robustness"), v.get("title"));
            List<?> flips = (List<?>) v.get("flips");
            if (flips != null && !flips.isEmpty()) {
                System.out.println("       flips under: " + String.join("; ", flips.stream().map(String::valueOf).toList()));
            }
        }
        System.out.printf("%nReport: %s, %s, %s (wall time %.0f s; results page: %s/results?reproduction=%s)%n",
                out.resolve("reproduction.md"), out.resolve("reproduction.json"), out.resolve("charts"),
                (System.nanoTime() - start) / 1e9, gateway, id);
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = send(http, HttpRequest.newBuilder(URI.create(url)).GET().build());
        if (r.statusCode() != 200) {
            fail("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            fail("cannot reach the gateway at " + request.uri() + " (" + e + "); is the stack running? (make run, or sh scripts/stack.sh start)");
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }

    private static double dbl(Object o) {
        return o == null ? 0 : ((Number) o).doubleValue();
    }

    private static int num(Object o) {
        return o == null ? 0 : ((Number) o).intValue();
    }

    private static void fail(String message) {
        System.err.println("reproduce: " + message);
        System.exit(1);
    }

    /**
     * {@code Authorization: Bearer $TESTBED_TOKEN} when that is set: a gateway opened beyond loopback wants it on
     * writes (issue 16; on 127.0.0.1, as make run starts it, nothing is checked).
     */
    private static HttpRequest.Builder withToken(HttpRequest.Builder request) {
        String token = System.getenv("TESTBED_TOKEN");
        return token == null || token.isBlank() ? request : request.header("Authorization", "Bearer " + token.strip());
    }
}
