import io.testbed.scripts.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed's experiment through the gateway: the same pack with a 10 ms and a 1 ms sleep on EAGAIN,
 * on the virtual clock, one after the other; then a table of the figures, the URLs and a curl example.
 *
 * <pre>make demo DEMO_ARGS="[--gateway URL] [--repo NAME] [--client NAME] [--timeout SECONDS] [--no-urls]"</pre>
 *
 * Needs only the JDK (17+): make compiles the shared JSON reader (scripts/lib) into .run/scripts and runs
 * {@code java -cp .run/scripts scripts/Demo.java}. Exits 1 if a download fails or the gateway cannot be reached.
 */
public class Demo {

    static String gateway = "http://127.0.0.1:8080";
    static String repo = "pack-4m";
    static String client = "bc";
    static Duration timeout = Duration.ofMinutes(20);
    static boolean urls = true;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gateway": gateway = strip(args[++i]); break;
                case "--repo": repo = args[++i]; break;
                case "--client": client = args[++i]; break;
                case "--timeout": timeout = Duration.ofSeconds(Long.parseLong(args[++i])); break;
                case "--no-urls": urls = false; break;
                case "--help": case "-h":
                    System.out.println("usage: make demo DEMO_ARGS=\"[--gateway URL] [--repo NAME] [--client NAME]"
                            + " [--timeout SECONDS] [--no-urls]\"");
                    System.out.println("Downloads REPO (default pack-4m) through the gateway (default " + gateway + ") with a"
                            + " 10 ms and a 1 ms sleep on EAGAIN, virtual clock, and prints the figures.");
                    return;
                default:
                    System.err.println("unknown argument " + args[i] + " (try --help)");
                    System.exit(2);
            }
        }

        System.out.println();
        System.out.println("Demo: " + repo + " with " + client + ", sleep-on-EAGAIN 10 ms vs 1 ms, virtual clock (via " + gateway + ")");
        List<Map<String, Object>> results = new ArrayList<>();
        for (int sleepMs : new int[] {10, 1}) {
            results.add(run(sleepMs));
        }

        System.out.println();
        String format = "%-12s %12s %9s %18s %13s %9s %9s%n";
        System.out.printf(format, "policy", "simulated s", "wall s", "KiB/s (simulated)", "would-blocks", "sleeps", "verified");
        boolean allOk = true;
        for (Map<String, Object> r : results) {
            Map<?, ?> pack = r.get("pack") instanceof Map ? (Map<?, ?>) r.get("pack") : Map.of();
            Object throughput = r.get("throughputBytesPerSecond");
            System.out.printf(format, "sleep " + policySleep(r) + " ms", fixed(r.get("simulatedSeconds"), 3), fixed(r.get("wallSeconds"), 2),
                    throughput instanceof Number ? fixed(((Number) throughput).doubleValue() / 1024, 1) : "-",
                    integer(r.get("wouldBlocks")), integer(r.get("sleeps")), Boolean.TRUE.equals(pack.get("verified")) ? "yes" : "no");
            if (!"succeeded".equals(r.get("status"))) {
                allOk = false;
                System.out.println("    " + r.get("status") + ": " + r.get("error"));
            }
        }
        if (allOk && results.get(0).get("simulatedSeconds") instanceof Number && results.get(1).get("simulatedSeconds") instanceof Number) {
            double tenMs = ((Number) results.get(0).get("simulatedSeconds")).doubleValue();
            double oneMs = ((Number) results.get(1).get("simulatedSeconds")).doubleValue();
            if (oneMs <= tenMs) {
                System.out.printf(Locale.ROOT, "1 ms is %.2fx faster than 10 ms in simulated time (the seed expected ~10x).%n", tenMs / oneMs);
            } else {
                System.out.printf(Locale.ROOT, "1 ms is %.2fx SLOWER than 10 ms in simulated time (the seed expected ~10x faster):%n"
                        + "on this profile every sleep idles the core until the next 10 ms tick (docs/MODEL.md).%n", oneMs / tenMs);
            }
        }
        if (urls) {
            printUrls();
        }
        System.exit(allOk ? 0 : 1);
    }

    private static Map<String, Object> run(int sleepMs) throws Exception {
        String body = "{\"repo\":\"" + repo + "\",\"client\":\"" + client + "\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":" + sleepMs
                + "},\"clock\":\"virtual\",\"seed\":1}";
        HttpResponse<String> accepted = send(withToken(HttpRequest.newBuilder(URI.create(gateway + "/api/downloads")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (accepted.statusCode() != 202) {
            die("POST /api/downloads answered " + accepted.statusCode() + ": " + accepted.body());
        }
        String id = (String) asMap(Json.parse(accepted.body())).get("id");
        System.out.printf("  sleep %2d ms: download %s running ", sleepMs, id);
        long start = System.nanoTime();
        long lastDot = start;
        while (true) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(gateway + "/api/downloads/" + id)).GET().build());
            if (response.statusCode() != 200) {
                die("GET /api/downloads/" + id + " answered " + response.statusCode() + ": " + response.body());
            }
            Map<String, Object> d = asMap(Json.parse(response.body()));
            if (!"running".equals(d.get("status"))) {
                System.out.printf(" %s in %.1f s%n", d.get("status"), (System.nanoTime() - start) / 1e9);
                return d;
            }
            if (System.nanoTime() - start > timeout.toNanos()) {
                System.out.println();
                die("download " + id + " still running after " + timeout.toSeconds() + " s; see GET " + gateway + "/api/downloads/" + id);
            }
            if (System.nanoTime() - lastDot > 2_000_000_000L) {
                System.out.print(".");
                lastDot = System.nanoTime();
            }
            Thread.sleep(250);
        }
    }

    private static void printUrls() {
        System.out.println();
        System.out.println("The stack keeps running (make stop ends it; make logs follows the logs).");
        System.out.println("  gateway              " + gateway + "/api/downloads");
        System.out.println("  Swagger UI           " + gateway + "/swagger-ui.html   (OpenAPI: " + gateway + "/v3/api-docs)");
        String[][] services = {
                {"gateway-service", "http://127.0.0.1:8080"},
                {"kernel-sim-service", "http://127.0.0.1:8081"},
                {"tls-client-service", "http://127.0.0.1:8082"},
                {"git-http-server", "http://127.0.0.1:8083"}};
        for (String[] s : services) {
            System.out.printf("  %-20s %s/actuator/health   %s/actuator/prometheus%n", s[0], s[1], s[1]);
        }
        System.out.println("  git over HTTPS       https://127.0.0.1:8443/pack-4m.git   (CA: data/pki/ca.crt)");
        System.out.println();
        System.out.println("Try:");
        System.out.println("  curl -s -X POST " + gateway + "/api/downloads -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"repo\":\"pack-1m\",\"policy\":{\"type\":\"sleep\",\"sleepMs\":1}}'");
        System.out.println("  curl -s " + gateway + "/api/downloads/<id>");
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            die("cannot reach the gateway at " + gateway + " (" + e + "); is it running? (make run)");
            throw e;
        }
    }

    private static Object policySleep(Map<String, Object> r) {
        Object policy = r.get("policy");
        return policy instanceof Map ? integer(((Map<?, ?>) policy).get("sleepMs")) : "?";
    }

    private static String fixed(Object value, int decimals) {
        return value instanceof Number ? String.format(Locale.ROOT, "%." + decimals + "f", ((Number) value).doubleValue()) : "-";
    }

    private static String integer(Object value) {
        return value instanceof Number ? String.valueOf(((Number) value).longValue()) : "-";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        if (!(o instanceof Map)) {
            die("expected a JSON object, got " + o);
        }
        return (Map<String, Object>) o;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static void die(String message) {
        System.err.println("ERROR: " + message);
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
