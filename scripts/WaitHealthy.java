import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Waits until a service's actuator health says UP.
 *
 * <pre>java scripts/WaitHealthy.java NAME HEALTH_URL TIMEOUT_SECONDS LOG_FILE [PID]</pre>
 *
 * Exits 0 when healthy; 1 (after printing the end of the log) when the process dies or the timeout passes.
 */
public class WaitHealthy {

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args[0].equals("--help")) {
            System.out.println("usage: java scripts/WaitHealthy.java NAME HEALTH_URL TIMEOUT_SECONDS LOG_FILE [PID]");
            System.exit(args.length > 0 && args[0].equals("--help") ? 0 : 2);
        }
        String name = args[0];
        URI url = URI.create(args[1]);
        Duration timeout = Duration.ofSeconds(Long.parseLong(args[2]));
        Path log = Path.of(args[3]);
        Long pid = args.length > 4 && !args[4].isBlank() ? Long.valueOf(args[4]) : null;

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (pid != null && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                fail(name + " (pid " + pid + ") exited while starting", log);
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().replace(" ", "").contains("\"status\":\"UP\"")) {
                    System.out.printf("  %-20s UP after %.1f s  (%s)%n", name, (System.nanoTime() - start) / 1e9, url);
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
            } catch (java.io.IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
            }
            Thread.sleep(500);
        }
        fail(name + " not healthy after " + timeout.toSeconds() + " s at " + url + " (last: " + last + ")", log);
    }

    private static void fail(String message, Path log) throws Exception {
        System.err.println("ERROR: " + message);
        if (Files.isReadable(log)) {
            List<String> lines = Files.readAllLines(log);
            System.err.println("---- last lines of " + log + " ----");
            lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(System.err::println);
            System.err.println("---- full log: " + log.toAbsolutePath() + " ----");
        } else {
            System.err.println("(no log at " + log.toAbsolutePath() + ")");
        }
        System.exit(1);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
