package io.testbed.bench.e2e;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.MachinesGrpc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running stack as the benchmarks see it: REST on the gateway and tls-client, gRPC admin on kernel-sim, /proc for memory. */
final class Stack implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();
    final String gateway;
    final String tlsClient;
    final Path runDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ManagedChannel channel;
    final MachinesGrpc.MachinesBlockingStub admin;

    Stack(String gateway, String tlsClient, String kernel, Path runDir) {
        this.gateway = gateway;
        this.tlsClient = tlsClient;
        this.runDir = runDir;
        int colon = kernel.lastIndexOf(':');
        channel = ManagedChannelBuilder.forAddress(kernel.substring(0, colon), Integer.parseInt(kernel.substring(colon + 1)))
                .usePlaintext().build();
        admin = MachinesGrpc.newBlockingStub(channel);
    }

    JsonNode get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(), url);
    }

    JsonNode post(String url, Object body) {
        String text = JSON.writeValueAsString(body);
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build(), url + " " + text);
    }

    /** The status, or -1 when nothing answers. */
    int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** POST, returning the status code and body (for APIs that may not exist yet). */
    Map.Entry<Integer, JsonNode> tryPost(String url, Object body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode node = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            return Map.entry(r.statusCode(), node);
        } catch (IOException e) {
            return Map.entry(-1, JSON.createObjectNode());
        } catch (RuntimeException e) {
            return Map.entry(-2, JSON.createObjectNode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(HttpRequest request, String what) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(what + " -> " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Why the last gateway download went the direct way, or null. */
    volatile String gatewayFailure;

    /**
     * A virtual-clock download through the gateway (its own fresh machine), followed to its end. If the
     * gateway fails it (5xx), the same thing done the gateway's way by hand: a machine through gRPC
     * admin, the download on tls-client, the machine's stats, the machine deleted; the result then says
     * {@code "via": "tls-client"} and {@link #gatewayFailure} why.
     */
    JsonNode gatewayDownload(Map<String, Object> body) {
        Map.Entry<Integer, JsonNode> r = gatewayFailure != null ? Map.entry(-3, JSON.createObjectNode())
                : tryPost(gateway + "/api/downloads", body);
        if (r.getKey() == 202 || r.getKey() == 200) {
            JsonNode done = waitDone(gateway + "/api/downloads/" + r.getValue().get("id").asText(), Duration.ofMinutes(20));
            ((tools.jackson.databind.node.ObjectNode) done).put("via", "gateway");
            return done;
        }
        if (r.getKey() < 500 && r.getKey() >= 0) {
            throw new IllegalStateException("gateway refused " + body + ": " + r.getKey() + " " + r.getValue());
        }
        if (gatewayFailure == null) {
            gatewayFailure = "gateway POST /api/downloads answered " + r.getKey() + " " + r.getValue().path("error").asText("")
                    + "; every later download of this run went the gateway's way by hand";
            // a gateway that fails after creating its machine and starting the download leaves both behind: remove them
            for (io.testbed.kernel.api.v1.Machine m : admin.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .list(io.testbed.kernel.api.v1.ListMachinesRequest.getDefaultInstance()).getMachinesList()) {
                if (m.getName().startsWith("gateway ")) {
                    deleteMachine(m.getId());
                }
            }
        }
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        Object o = body.get("overrides");
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> overrides.put(String.valueOf(k), String.valueOf(v)));
        }
        long seed = body.get("seed") instanceof Number n ? n.longValue() : 1;
        String machine = admin.withDeadlineAfter(10, TimeUnit.SECONDS).create(CreateMachineRequest.newBuilder()
                .setClock(Clock.CLOCK_VIRTUAL).setProfile(String.valueOf(body.getOrDefault("profile", "")))
                .putAllOverrides(overrides).setSeed(seed).setName("bench").build()).getId();
        try {
            Map<String, Object> t = new java.util.LinkedHashMap<>();
            t.put("kernel", "default");
            t.put("machineId", machine);
            t.put("repo", body.get("repo"));
            t.put("client", body.getOrDefault("client", "bc"));
            t.put("policy", body.get("policy"));
            JsonNode done = waitTls(startTlsDownload(t));
            MachineStats stats = stats(machine);
            tools.jackson.databind.node.ObjectNode n = (tools.jackson.databind.node.ObjectNode) done;
            n.put("via", "tls-client");
            n.put("simulatedSeconds", done.path("simulatedNs").asLong() / 1e9);
            n.put("wallSeconds", done.path("wallNs").asLong() / 1e9);
            n.putObject("kernel").set("counters", JSON.valueToTree(new java.util.TreeMap<>(stats.getCountersMap())));
            return n;
        } finally {
            deleteMachine(machine);
        }
    }

    /** Starts a download on tls-client directly; returns its id. */
    String startTlsDownload(Map<String, Object> body) {
        return post(tlsClient + "/api/downloads", body).get("id").asText();
    }

    JsonNode waitTls(String id) {
        return waitDone(tlsClient + "/api/downloads/" + id, Duration.ofMinutes(30));
    }

    JsonNode waitDone(String url, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode n = get(url);
            String status = n.path("status").asText();
            if (!"running".equals(status) && !"queued".equals(status)) {
                return n;
            }
            sleep(100); // tls-client's JSON view is not free: polling faster costs its CPU (the gateway polls at 100 ms too)
        }
        throw new IllegalStateException(url + " still running after " + max);
    }

    String createMachine(Clock clock, Map<String, String> overrides, String name) {
        return admin.withDeadlineAfter(10, TimeUnit.SECONDS).create(CreateMachineRequest.newBuilder()
                .setClock(clock).putAllOverrides(overrides).setSeed(1).setName(name).build()).getId();
    }

    MachineStats stats(String id) {
        return admin.withDeadlineAfter(10, TimeUnit.SECONDS).stats(MachineRef.newBuilder().setId(id).build());
    }

    void deleteMachine(String id) {
        admin.withDeadlineAfter(10, TimeUnit.SECONDS).delete(MachineRef.newBuilder().setId(id).build());
    }

    // ---- processes ----

    long pid(String service) {
        try {
            return Long.parseLong(Files.readString(runDir.resolve(service + ".pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** A field of {@code /proc/<pid>/status} in kB (VmHWM, VmRSS), or -1. */
    static long procKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Resets VmHWM to the current RSS (Linux: {@code echo 5 > /proc/PID/clear_refs}); false if not allowed. */
    static boolean resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Live heap in MB after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), or -1. */
    static double liveHeapMb(long pid) {
        return liveHeapMb(pid, 1);
    }

    /** Live heap in MB after {@code fullGcs} full GCs ({@code jcmd GC.run}), from {@code GC.heap_info}; -1 if jcmd fails. */
    static double liveHeapMb(long pid, int fullGcs) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            for (int i = 0; i < fullGcs; i++) {
                run(List.of(jcmd, String.valueOf(pid), "GC.run"));
            }
            String out = run(List.of(jcmd, String.valueOf(pid), "GC.heap_info"));
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(out);
            return m.find() ? Long.parseLong(m.group(2)) / 1024.0 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** CPU time (user + system) of a process from {@code /proc/<pid>/stat}, in ns (clock ticks of 10 ms), or -1. */
    static long cpuNs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's CPU time in ns. */
    static long selfCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
