package io.testbed.bench.e2e;

import io.grpc.ManagedChannelBuilder;
import io.testbed.kernel.api.Counters;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.MachineStats;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The end-to-end benchmarks of issue 7 against a running stack (gateway 8080, tls-client 8082,
 * kernel-sim gRPC 50051): virtual-clock speed, testbed overhead against a plain socket, concurrency,
 * memory, and the syscall round trip across processes. Each figure goes into an {@link ObjectNode}
 * with the load average at the time it was taken.
 */
public final class EndToEnd {
    /**
     * The most downloads one akuma-2026-01-31 machine takes at once: 24 user slots (Akuma's 32 thread slots from
     * slot 8), one held by its herd daemon (threads.herd). 24 asked for the 24th slot and never started.
     */
    static final int MAX_DOWNLOADS = 23;

    static final String PACK = "pack-4m";
    static final String PROFILE = "akuma-2026-01-31";
    /** Benchmark 2's fastest settings. */
    static final Map<String, String> FASTEST = new LinkedHashMap<>();

    static {
        FASTEST.put("link.bandwidth_kbps", "100000000");
        FASTEST.put("link.latency_us", "0");
        FASTEST.put("net.poll_mode", "irq-wakeup");
        FASTEST.put("sleep.model", "hires");
        FASTEST.put("socket.rx_buffer", "1048576");
        FASTEST.put("socket.tx_buffer", "1048576");
        FASTEST.put("syscall.recv_cap", "65536");
        FASTEST.put("nic.rx_buffers", "64");
        // the remote end's TCP without slirp's slow timers and window (QEMU's user network, the calibrated default):
        // the overhead measured is the testbed's, not the modelled peer's (slirp holds pack-1m at ~10 ms per 64 KiB read)
        FASTEST.put("remote.tcp", "simple");
    }

    private final Stack stack;
    private final ObjectNode out;
    private final String kernelTarget;
    private final int repeats;

    public EndToEnd(Stack stack, ObjectNode out, String kernelTarget, int repeats) {
        this.stack = stack;
        this.out = out;
        this.kernelTarget = kernelTarget;
        this.repeats = repeats;
    }

    static void log(String fmt, Object... args) {
        System.out.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), String.format(fmt, args));
        System.out.flush();
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    // ---- 1. virtual-clock speed ----

    public void virtualClockSpeed() {
        ObjectNode b = out.putObject("virtualClockSpeed");
        b.put("what", "simulated s / wall s, " + PACK + " on " + PROFILE + ", bc, sleep 10 ms, virtual clock, through the gateway (a fresh machine per download)");
        ArrayNode runs = b.putArray("runs");
        List<Double> speeds = new ArrayList<>();
        for (int i = 0; i <= repeats; i++) {
            String load = Stack.load();
            Map<String, Long> cpu0 = stackCpu();
            long t0 = System.nanoTime();
            JsonNode r = stack.gatewayDownload(Map.of("repo", PACK, "client", "bc",
                    "policy", Map.of("type", "sleep", "sleepMs", 10), "clock", "virtual", "profile", PROFILE, "seed", 1));
            double observed = (System.nanoTime() - t0) / 1e9;
            check(r, "virtual-clock speed");
            JsonNode c = r.path("kernel").path("counters");
            ObjectNode run = runs.addObject();
            double sim = r.path("simulatedSeconds").asDouble();
            double wall = r.path("wallSeconds").asDouble();
            run.put("warmup", i == 0);
            run.put("via", r.path("via").asText());
            run.put("simulatedSeconds", sim);
            run.put("wallSeconds", wall);
            run.put("observedWallSeconds", round(observed, 3));
            run.put("speed", round(sim / wall, 2));
            for (String k : List.of(Counters.WALL_BUSY_NS, Counters.WALL_CLIENT_WAIT_NS, Counters.WALL_UPSTREAM_HOLD_NS, Counters.UPSTREAM_HOLDS,
                    Counters.UPSTREAM_LATE_ARRIVALS, Counters.EVENTS, Counters.SYSCALLS_PREFIX + "recvfrom", Counters.SYSCALLS_PREFIX + "nanosleep")) {
                run.put(k, c.path(k).asLong());
            }
            run.put("load", load);
            run.set("cpuSeconds", cpuSince(cpu0));
            log("virtual-clock speed run %d%s: %.3f s simulated in %.3f s wall = %.1fx (busy %.2f s, client wait %.2f s, upstream holds %.2f s in %d, events %d; load %s)",
                    i, i == 0 ? " (warm-up)" : "", sim, wall, sim / wall, c.path(Counters.WALL_BUSY_NS).asLong() / 1e9,
                    c.path(Counters.WALL_CLIENT_WAIT_NS).asLong() / 1e9, c.path(Counters.WALL_UPSTREAM_HOLD_NS).asLong() / 1e9,
                    c.path(Counters.UPSTREAM_HOLDS).asLong(), c.path(Counters.EVENTS).asLong(), load);
            log("  CPU during it: %s", run.path("cpuSeconds"));
            if (i > 0) {
                speeds.add(sim / wall);
            }
        }
        b.put("speed", round(median(speeds), 2));
        if (stack.gatewayFailure != null) {
            b.put("gatewayFailure", stack.gatewayFailure);
        }
    }

    private static void check(JsonNode r, String what) {
        if (!"succeeded".equals(r.path("status").asText())) {
            throw new IllegalStateException(what + ": download " + r.path("id").asText() + " " + r.path("status").asText()
                    + ": " + r.path("error").asText());
        }
    }

    // ---- 2. testbed overhead ----

    public void overhead() {
        ObjectNode b = out.putObject("overhead");
        b.put("what", "live clock, " + PACK + ", bc, readSize 65536: throughput through kernel-sim with the fastest settings "
                + "(blocking recvfrom) against the same client on the host kernel (plain loopback socket), alternated");
        b.set("overrides", Stack.JSON.valueToTree(FASTEST));
        ArrayNode runs = b.putArray("runs");
        Map<String, List<Double>> tput = new LinkedHashMap<>();
        for (int i = 0; i <= repeats; i++) {
            for (String side : List.of("host-blocking", "host-poll", "sim-blocking")) {
                String load = Stack.load();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("repo", PACK);
                body.put("client", "bc");
                body.put("readSize", 65536);
                String machine = null;
                if (side.startsWith("host")) {
                    body.put("kernel", "host");
                    body.put("policy", side.equals("host-poll") ? Map.of("type", "poll", "timeoutMs", 10) : Map.of("type", "blocking"));
                } else {
                    machine = stack.createMachine(Clock.CLOCK_LIVE, FASTEST, "bench-overhead");
                    body.put("kernel", "default");
                    body.put("machineId", machine);
                    body.put("policy", Map.of("type", "blocking"));
                }
                JsonNode r = stack.waitTls(stack.startTlsDownload(body));
                if (machine != null) {
                    stack.deleteMachine(machine);
                }
                check(r, "overhead " + side);
                double wall = r.path("wallNs").asLong() / 1e9;
                long bytes = r.path("bytes").asLong();
                double mbps = bytes / wall / 1e6;
                ObjectNode run = runs.addObject();
                run.put("side", side);
                run.put("warmup", i == 0);
                run.put("bytes", bytes);
                run.put("wallSeconds", round(wall, 4));
                run.put("megabytesPerSecond", round(mbps, 2));
                run.put("wouldBlocks", r.path("wouldBlocks").asLong());
                run.put("reads", r.path("reads").asLong());
                run.put("load", load);
                log("overhead run %d%s %-13s %.3f s wall, %.2f MB/s, %d reads, %d would-blocks (load %s)", i,
                        i == 0 ? " (warm-up)" : "", side, wall, mbps, r.path("reads").asLong(), r.path("wouldBlocks").asLong(), load);
                if (i > 0) {
                    tput.computeIfAbsent(side, k -> new ArrayList<>()).add(mbps);
                }
            }
        }
        // what the modelled machine itself needs: the same download on the virtual clock (no client CPU declared), whose
        // simulated time is the modelled kernel's work; live, that work takes real time, so it bounds the live figure
        String floorMachine = stack.createMachine(Clock.CLOCK_VIRTUAL, FASTEST, "bench-overhead-floor");
        JsonNode floor = stack.waitTls(stack.startTlsDownload(Map.of("repo", PACK, "client", "bc", "readSize", 65536,
                "kernel", "default", "machineId", floorMachine, "policy", Map.of("type", "blocking"))));
        stack.deleteMachine(floorMachine);
        check(floor, "overhead model floor");
        double floorSeconds = floor.path("simulatedNs").asLong() / 1e9;
        b.put("modelFloorSimulatedSeconds", round(floorSeconds, 4));
        b.put("modelBoundMegabytesPerSecond", round(floor.path("bytes").asLong() / floorSeconds / 1e6, 2));
        log("overhead: the modelled machine's own time for it (virtual clock, same settings): %.3f simulated s = %.1f MB/s at most, live",
                floorSeconds, floor.path("bytes").asLong() / floorSeconds / 1e6);
        ObjectNode med = b.putObject("medianMegabytesPerSecond");
        tput.forEach((k, v) -> med.put(k, round(median(v), 2)));
        double host = Math.max(median(tput.get("host-blocking")), median(tput.get("host-poll")));
        double sim = median(tput.get("sim-blocking"));
        b.put("hostBestMegabytesPerSecond", round(host, 2));
        b.put("simMegabytesPerSecond", round(sim, 2));
        b.put("ratio", round(sim / host, 3));
    }

    // ---- 2b. the reproduction without its sensitivity runs ----

    /**
     * {@code make reproduce --no-sensitivity} through the gateway, {@code times} in a row: the first on JVMs that may
     * be fresh (their JIT still compiling), the next ones warm. Wall time as the gateway reports it, the load, and
     * each service's CPU during it.
     */
    public void reproduce(int times) {
        ObjectNode b = out.putObject("reproduce");
        b.put("what", "a reproduction of the seed's claims without the sensitivity runs (make reproduce REPRODUCE_ARGS=--no-sensitivity),"
                + " through the gateway, run " + times + " times in a row");
        ArrayNode runs = b.putArray("runs");
        List<Double> walls = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            String load = Stack.load();
            Map<String, Long> cpu0 = stackCpu();
            JsonNode started = stack.post(stack.gateway + "/api/reproductions", Map.of("sensitivity", "none"));
            String id = started.path("id").asText();
            JsonNode done = stack.waitDone(stack.gateway + "/api/reproductions/" + id, Duration.ofMinutes(30));
            JsonNode report = stack.get(stack.gateway + "/api/reproductions/" + id + "/report.json");
            double wall = report.path("wallSeconds").asDouble();
            ObjectNode run = runs.addObject();
            run.put("id", id);
            run.put("status", done.path("status").asText());
            run.put("runs", report.path("runs").asInt());
            run.put("runsFailed", report.path("runsFailed").asInt());
            run.put("wallSeconds", wall);
            run.put("load", load);
            run.set("cpuSeconds", cpuSince(cpu0));
            log("reproduction %d (%s): %d runs in %.0f s wall (load %s); CPU %s", i, id, report.path("runs").asInt(), wall, load,
                    run.path("cpuSeconds"));
            walls.add(wall);
        }
        b.put("firstWallSeconds", walls.isEmpty() ? -1 : walls.get(0));
        b.put("bestWallSeconds", walls.stream().mapToDouble(Double::doubleValue).min().orElse(-1));
    }

    // ---- 3. concurrency on one machine, and the 8-run experiment; 4. memory ----

    public void concurrency(List<Integer> counts) {
        ObjectNode b = out.putObject("concurrency");
        b.put("what", "N concurrent " + PACK + " downloads (bc, sleep 10 ms) on one virtual-clock " + PROFILE
                + " machine, created through gRPC admin and started on tls-client; wall from the first POST to the last result");
        // the N downloads start together at simulated time 0 (machine.start_after_threads), as the gateway's runs do
        ArrayNode runs = b.putArray("oneMachine");
        for (int n : counts) {
            runs.add(oneMachine(n, PACK, false, Map.of("machine.start_after_threads", Integer.toString(n))));
        }
        // Akuma's ratio scheduler starves user threads after the third (docs/MODEL.md): with round robin all N progress at once
        ArrayNode rr = b.putArray("oneMachineRoundRobin");
        for (int n : counts) {
            if (n == 4 || n == MAX_DOWNLOADS) {
                rr.add(oneMachine(n, PACK, false, Map.of("sched.policy", "round-robin", "machine.start_after_threads", Integer.toString(n))));
            }
        }
    }

    /** CPU seconds used by each stack process (and this benchmark process) since {@code before}. */
    Map<String, Long> stackCpu() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String s : SERVICES) {
            m.put(s, Stack.cpuNs(stack.pid(s)));
        }
        m.put("benchmark", Stack.selfCpuNs());
        return m;
    }

    static final List<String> SERVICES = List.of("kernel-sim-service", "tls-client-service", "git-http-server", "gateway-service");

    ObjectNode cpuSince(Map<String, Long> before) {
        ObjectNode n = Stack.JSON.createObjectNode();
        double total = 0;
        for (Map.Entry<String, Long> e : stackCpu().entrySet()) {
            double s = (e.getValue() - before.get(e.getKey())) / 1e9;
            n.put(e.getKey(), round(s, 2));
            if (!e.getKey().equals("benchmark")) {
                total += s;
            }
        }
        n.put("stackTotal", round(total, 2));
        return n;
    }

    /** N downloads on one machine; with {@code memory}, peak RSS of kernel-sim and tls-client and live heap at half-way. */
    ObjectNode oneMachine(int n, String repo, boolean memory, Map<String, String> overrides) {
        ObjectNode run = Stack.JSON.createObjectNode();
        run.put("downloads", n);
        run.put("repo", repo);
        run.set("overrides", Stack.JSON.valueToTree(overrides));
        run.put("load", Stack.load());
        long kpid = stack.pid("kernel-sim-service");
        long tpid = stack.pid("tls-client-service");
        double idleHeap = -1;
        double kernelIdleHeap = -1;
        if (memory) {
            idleHeap = Stack.liveHeapMb(tpid);
            kernelIdleHeap = Stack.liveHeapMb(kpid);
            run.put("tlsClientLiveHeapIdleMb", round(idleHeap, 1));
            run.put("kernelSimLiveHeapIdleMb", round(kernelIdleHeap, 1));
            run.put("peakResetKernelSim", Stack.resetPeak(kpid));
            run.put("peakResetTlsClient", Stack.resetPeak(tpid));
            run.put("kernelSimRssBeforeMb", round(Stack.procKb(kpid, "VmRSS") / 1024.0, 1));
            run.put("tlsClientRssBeforeMb", round(Stack.procKb(tpid, "VmRSS") / 1024.0, 1));
        }
        String machine = stack.createMachine(Clock.CLOCK_VIRTUAL, overrides, "bench-" + n);
        Map<String, Long> cpu0 = stackCpu();
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(stack.startTlsDownload(Map.of("kernel", "default", "machineId", machine, "repo", repo, "client", "bc",
                    "policy", Map.of("type", "sleep", "sleepMs", 10))));
        }
        if (memory) {
            // the live heap half-way through the first download: the downloads then in flight hold their TLS state and parser
            long half = packBytes(repo) / 2;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode p = stack.get(stack.tlsClient + "/api/downloads/" + ids.get(0));
                if (p.path("bytes").asLong() >= half || !"running".equals(p.path("status").asText())) {
                    int inFlight = 0;
                    for (String id : ids) {
                        JsonNode q = stack.get(stack.tlsClient + "/api/downloads/" + id);
                        if ("running".equals(q.path("status").asText()) && q.path("bytes").asLong() > 0) {
                            inFlight++;
                        }
                    }
                    double live = Stack.liveHeapMb(tpid);
                    double klive = Stack.liveHeapMb(kpid);
                    int per = Math.max(1, inFlight);
                    run.put("inFlightAtSample", inFlight);
                    run.put("tlsClientLiveHeapHalfwayMb", round(live, 1));
                    run.put("tlsClientLiveHeapPerDownloadMb", round((live - idleHeap) / per, 2));
                    run.put("kernelSimLiveHeapHalfwayMb", round(klive, 1));
                    run.put("kernelSimLiveHeapPerDownloadMb", round((klive - kernelIdleHeap) / per, 2));
                    run.put("halfwayBytesOfLastDownload", p.path("bytes").asLong());
                    break;
                }
                Stack.sleep(50);
            }
        }
        List<JsonNode> results = new ArrayList<>();
        for (String id : ids) {
            results.add(stack.waitTls(id));
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        run.set("cpuSeconds", cpuSince(cpu0));
        MachineStats stats = stack.stats(machine);
        stack.deleteMachine(machine);
        int ok = 0;
        double maxSim = 0;
        long wouldBlocks = 0;
        for (JsonNode r : results) {
            if ("succeeded".equals(r.path("status").asText())) {
                ok++;
            }
            maxSim = Math.max(maxSim, r.path("simulatedNs").asLong() / 1e9);
            wouldBlocks += r.path("wouldBlocks").asLong();
        }
        run.put("wouldBlocks", wouldBlocks);
        run.put("succeeded", ok);
        run.put("wallSeconds", round(wall, 3));
        run.put("simulatedSecondsLongest", round(maxSim, 3));
        run.put("machineSimulatedSeconds", round(stats.getNowNs() / 1e9, 3));
        Map<String, Long> c = stats.getCountersMap();
        for (String k : List.of(Counters.WALL_BUSY_NS, Counters.WALL_CLIENT_WAIT_NS, Counters.WALL_UPSTREAM_HOLD_NS, Counters.UPSTREAM_HOLDS, Counters.EVENTS)) {
            run.put(k, c.getOrDefault(k, -1L));
        }
        if (memory) {
            run.put("kernelSimPeakRssMb", round(Stack.procKb(kpid, "VmHWM") / 1024.0, 1));
            run.put("tlsClientPeakRssMb", round(Stack.procKb(tpid, "VmHWM") / 1024.0, 1));
        }
        log("%2d x %s on one machine %s: %.2f s wall, %d/%d succeeded, longest %.2f s simulated, busy %.2f s, client wait %.2f s, holds %.2f s%s (load %s)",
                n, repo, overrides, wall, ok, n, maxSim, c.getOrDefault(Counters.WALL_BUSY_NS, 0L) / 1e9, c.getOrDefault(Counters.WALL_CLIENT_WAIT_NS, 0L) / 1e9,
                c.getOrDefault(Counters.WALL_UPSTREAM_HOLD_NS, 0L) / 1e9,
                memory ? String.format(", peak RSS kernel-sim %.0f MB tls-client %.0f MB; live heap per in-flight download (%d in flight"
                                + " half-way): tls-client +%.2f MB, kernel-sim +%.2f MB",
                        run.path("kernelSimPeakRssMb").asDouble(), run.path("tlsClientPeakRssMb").asDouble(), run.path("inFlightAtSample").asInt(),
                        run.path("tlsClientLiveHeapPerDownloadMb").asDouble(), run.path("kernelSimLiveHeapPerDownloadMb").asDouble()) : "",
                run.path("load").asText());
        return run;
    }

    private long packBytes(String repo) {
        return switch (repo) {
            case "pack-256k" -> 256 * 1024;
            case "pack-1m" -> 1024 * 1024;
            default -> 4 * 1024 * 1024;
        };
    }

    /** {@link #MAX_DOWNLOADS} concurrent downloads of each pack size: does a download's memory grow with its pack? */
    public void memory(List<String> repos) {
        ObjectNode b = out.putObject("memory");
        b.put("what", MAX_DOWNLOADS + " concurrent downloads on one machine per pack size: peak RSS (VmHWM, reset before each) of kernel-sim"
                + " and tls-client, and the live heap of both after a full GC half-way through the first download, per download then in"
                + " flight (akuma-2026-01-31's ratio scheduler runs three user threads at a time; the others wait for their turn)");
        // 23 downloads attached at once to one akuma-2026-01-31 machine (its ratio scheduler runs three at a time), per pack size
        ArrayNode runs = b.putArray("bySize");
        for (String repo : repos) {
            runs.add(oneMachine(MAX_DOWNLOADS, repo, true, Map.of()));
        }
    }

    public void parallelMachines(int runs) {
        ObjectNode b = out.putObject("parallelMachines");
        b.put("what", runs + " runs of " + PACK + " (bc, sleep 10 ms, virtual clock, one fresh machine each) through the gateway's"
                + " download API, the benchmark keeping 1 or 2 of them running at once");
        for (int parallel : List.of(1, 2)) {
            String load = Stack.load();
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            AtomicLong seed = new AtomicLong();
            Map<String, Long> cpu0 = stackCpu();
            long t0 = System.nanoTime();
            List<Future<JsonNode>> fs = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                fs.add(pool.submit(() -> stack.gatewayDownload(Map.of("repo", PACK, "client", "bc",
                        "policy", Map.of("type", "sleep", "sleepMs", 10), "clock", "virtual", "profile", PROFILE,
                        "seed", seed.incrementAndGet()))));
            }
            int ok = 0;
            for (Future<JsonNode> f : fs) {
                try {
                    if ("succeeded".equals(f.get().path("status").asText())) {
                        ok++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            ObjectNode r = b.putObject("parallel" + parallel);
            r.set("cpuSeconds", cpuSince(cpu0));
            r.put("wallSeconds", round(wall, 3));
            r.put("succeeded", ok);
            r.put("load", load);
            log("%d runs, %d machine(s) at a time: %.2f s wall, %d succeeded, stack CPU %s (load %s)", runs, parallel, wall, ok,
                    r.path("cpuSeconds"), load);
        }
        if (stack.gatewayFailure != null) {
            b.put("gatewayFailure", stack.gatewayFailure);
        }
        b.put("speedup", round(b.path("parallel1").path("wallSeconds").asDouble() / b.path("parallel2").path("wallSeconds").asDouble(), 3));
        experimentApi(b, runs);
    }

    /** The gateway's experiment API, if this gateway has it: the same runs at its configured parallelism. */
    private void experimentApi(ObjectNode b, int runs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "bench: " + runs + " runs");
        body.put("repos", List.of(PACK));
        body.put("clients", List.of("bc"));
        body.put("policies", List.of(Map.of("type", "sleep", "sleepMs", 10)));
        body.put("machines", List.of(Map.of("profile", PROFILE)));
        body.put("repetitions", runs);
        long t0 = System.nanoTime();
        Map.Entry<Integer, JsonNode> r = stack.tryPost(stack.gateway + "/api/experiments", body);
        ObjectNode e = b.putObject("experimentApi");
        if (r.getKey() != 202) {
            e.put("available", false);
            e.put("status", r.getKey());
            log("gateway experiment API: not available (HTTP %d); the figures above come from the download API", r.getKey());
            return;
        }
        String id = r.getValue().path("id").asText();
        JsonNode v;
        do {
            Stack.sleep(200);
            v = stack.get(stack.gateway + "/api/experiments/" + id);
        } while ("running".equals(v.path("status").asText()) || "queued".equals(v.path("status").asText()));
        double wall = (System.nanoTime() - t0) / 1e9;
        e.put("available", true);
        e.put("id", id);
        e.put("status", v.path("status").asText());
        e.put("wallSeconds", round(wall, 3));
        e.put("note", "at the gateway's configured testbed.experiments.parallel-runs");
        log("gateway experiment API: %d runs, status %s, %.2f s wall", runs, v.path("status").asText(), wall);
    }

    // ---- syscall round trip across processes ----

    public void roundTrip(int samples) {
        int colon = kernelTarget.lastIndexOf(':');
        roundTrip(samples, "grpcRoundTrip", "gRPC (TCP)", new GrpcKernel(ManagedChannelBuilder.forAddress(kernelTarget.substring(0, colon),
                Integer.parseInt(kernelTarget.substring(colon + 1))).usePlaintext().build(), true, Duration.ofSeconds(30)));
        // the framed stream, where make run's stack has it (scripts/stack.sh: tls-client's own transport)
        java.nio.file.Path framed = stack.runDir.resolve("grpc/kernel-sim-framed.sock").toAbsolutePath();
        if (java.nio.file.Files.exists(framed)) {
            roundTrip(samples, "framedRoundTrip", "framed stream (Unix socket)",
                    new io.testbed.kernel.api.framed.FramedKernel(framed, null, Duration.ofSeconds(30), 4 * 1024 * 1024));
        } else {
            log("no framed socket at %s: its round trip is not measured", framed);
        }
    }

    private void roundTrip(int samples, String key, String transport, io.testbed.kernel.api.Kernel kernel) {
        ObjectNode b = out.putObject(key);
        b.put("what", "clock_gettime on a fresh virtual machine of the running kernel-sim, over " + transport + " from this process"
                + " (separate processes, as tls-client calls it), " + samples + " samples after " + samples / 4 + " warm-up");
        String load = Stack.load();
        String machine = stack.createMachine(Clock.CLOCK_VIRTUAL, Map.of(), "bench-rtt");
        long[] d = new long[samples];
        long kpid = stack.pid("kernel-sim-service");
        long kernelCpu0;
        long selfCpu0;
        long wall0;
        try (UserThread t = kernel.attach(machine, "bench-rtt")) {
            for (int i = 0; i < samples / 4; i++) {
                t.clockGettime(Errno.CLOCK_MONOTONIC);
            }
            kernelCpu0 = Stack.cpuNs(kpid);
            selfCpu0 = Stack.selfCpuNs();
            wall0 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                long a = System.nanoTime();
                t.clockGettime(Errno.CLOCK_MONOTONIC);
                d[i] = System.nanoTime() - a;
            }
            double wallPer = (System.nanoTime() - wall0) / (double) samples;
            double kernelPer = (Stack.cpuNs(kpid) - kernelCpu0) / (double) samples;
            double selfPer = (Stack.selfCpuNs() - selfCpu0) / (double) samples;
            b.put("meanWallUs", round(wallPer / 1e3, 1));
            b.put("kernelSimCpuUsPerCall", round(kernelPer / 1e3, 1));
            b.put("clientCpuUsPerCall", round(selfPer / 1e3, 1));
            log("%s round trip: mean %.1f us wall per call; CPU per call: kernel-sim %.1f us, client %.1f us (the rest is waiting for threads to wake)",
                    transport, wallPer / 1e3, kernelPer / 1e3, selfPer / 1e3);
        } catch (Exception e) {
            throw new IllegalStateException(transport + " round trip: " + e, e);
        } finally {
            try {
                kernel.close();
            } catch (Exception ignored) {
                // measured already
            }
            stack.deleteMachine(machine);
        }
        Arrays.sort(d);
        b.put("p50Us", round(d[samples / 2] / 1e3, 1));
        b.put("p90Us", round(d[(int) (samples * 0.90)] / 1e3, 1));
        b.put("p99Us", round(d[(int) (samples * 0.99)] / 1e3, 1));
        b.put("p999Us", round(d[(int) (samples * 0.999)] / 1e3, 1));
        b.put("load", load);
        log("%s round trip to the running kernel-sim: p50 %.1f us, p99 %.1f us, p99.9 %.1f us (load %s)", transport,
                d[samples / 2] / 1e3, d[(int) (samples * 0.99)] / 1e3, d[(int) (samples * 0.999)] / 1e3, load);
    }
}
