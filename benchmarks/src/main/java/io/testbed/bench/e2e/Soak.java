package io.testbed.bench.e2e;

import io.testbed.kernel.api.Counters;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.api.v1.CreateMachineRequest;
import io.testbed.kernel.api.v1.Machine;
import io.testbed.kernel.api.v1.MachineRef;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.ThreadStats;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code make soak} (docs/RELIABILITY.md, "Load"): N concurrent downloads (default 24) plus interactive sessions (default 4)
 * on ONE live-clock kernel-sim machine for a bounded time (default 5 minutes), against the stack that
 * {@code scripts/stack.sh} runs. Every download goes through tls-client's REST API to that machine and must end
 * with its pack verified (JGit PackParser); each worker starts a new download when its previous one ends.
 * Before (after a warm-up round and a quiet period) and after (the same quiet period), it samples the four
 * service processes: threads ({@code /proc/PID/status}), open file descriptors ({@code /proc/PID/fd}) and the
 * heap used after a full GC ({@code jcmd PID GC.run}, then {@code GC.heap_info}), and the machine's own
 * counters (user threads and sockets open must be back to 0). Writes {@code reports/soak.json} and
 * {@code reports/soak.md}; exits 1 when a check fails. {@code --help} lists the options and the rule.
 */
public final class Soak {
    static final List<String> SERVICES = List.of("git-http-server", "kernel-sim-service", "tls-client-service", "gateway-service");

    private final Map<String, String> a;
    private final Stack stack;
    private final String repo;
    private final String client;
    private final Object policy;
    private final int downloads;
    private final double minutes;
    private final int quietSeconds;
    private final int progressSeconds;
    private final int threadTolerance;
    private final int fdTolerance;
    private final double heapToleranceMb;
    private final double heapTolerancePct;
    private final long downloadTimeoutNs;

    // soak counters
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger verified = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger busyRetries = new AtomicInteger();
    private final Map<String, AtomicInteger> failureReasons = new ConcurrentHashMap<>();
    private final List<String> failureSamples = new CopyOnWriteArrayList<>();
    private final List<Double> wallSeconds = Collections.synchronizedList(new ArrayList<>());
    private final List<Double> simulatedSeconds = Collections.synchronizedList(new ArrayList<>());

    private Soak(Map<String, String> a, Stack stack) {
        this.a = a;
        this.stack = stack;
        this.repo = a.getOrDefault("repo", "pack-1m");
        this.client = a.getOrDefault("client", "bc");
        this.policy = policy(a.getOrDefault("policy", "sleep:10"));
        this.downloads = Integer.parseInt(a.getOrDefault("downloads", "24"));
        this.minutes = Double.parseDouble(a.getOrDefault("minutes", "5"));
        this.quietSeconds = Integer.parseInt(a.getOrDefault("quiet-seconds", "75"));
        this.progressSeconds = Integer.parseInt(a.getOrDefault("progress-seconds", "15"));
        this.threadTolerance = Integer.parseInt(a.getOrDefault("thread-tolerance", "5"));
        this.fdTolerance = Integer.parseInt(a.getOrDefault("fd-tolerance", "10"));
        this.heapToleranceMb = Double.parseDouble(a.getOrDefault("heap-tolerance-mb", "16"));
        this.heapTolerancePct = Double.parseDouble(a.getOrDefault("heap-tolerance-pct", "15"));
        this.downloadTimeoutNs = TimeUnit.MINUTES.toNanos(Long.parseLong(a.getOrDefault("download-timeout-minutes", "10")));
    }

    public static void main(String[] argv) throws Exception {
        // close idle HTTP connections to tls-client soon, so that they do not count as its file descriptors
        System.setProperty("jdk.httpclient.keepalive.timeout", "5");
        Map<String, String> a = new TreeMap<>();
        for (String s : argv) {
            if (s.equals("--help") || s.equals("-h")) {
                System.out.println(HELP);
                return;
            }
            if (!s.startsWith("--")) {
                System.err.println("unknown argument '" + s + "' (options are --name=value; --help)");
                System.exit(2);
            }
            int eq = s.indexOf('=');
            a.put(eq < 0 ? s.substring(2) : s.substring(2, eq), eq < 0 ? "true" : s.substring(eq + 1));
        }
        int code;
        try (Stack stack = new Stack(a.getOrDefault("gateway", "http://127.0.0.1:8080"),
                a.getOrDefault("tls-client", "http://127.0.0.1:8082"), a.getOrDefault("kernel", "127.0.0.1:50051"),
                Path.of(a.getOrDefault("run-dir", ".run")))) {
            code = new Soak(a, stack).run();
        }
        System.exit(code);
    }

    /**
     * Settings of the soak's machine beyond the profile. Akuma's ratio scheduler at the seed's commit (the profile:
     * NETWORK_THREAD_RATIO 4, boost slot 0, round robin from the current thread) never runs a user thread when 4
     * sessions are on the machine: every 4th pass boosts slot 0 and the round robin starts again at slot 1, so the
     * network thread and sessions 0-2 use up the count, and session 3 (slot 5) and every user thread (slots 8+)
     * never get the core (claim 6's starvation). Akuma's later round-robin cursor ({@code sched.round_robin_from=cursor})
     * ends it. And with Akuma's NIC (one RX buffer, a 16-frame backend queue) 24 downloads drop thousands of frames;
     * the remote hosts' retransmission timeouts back off, and about 1% of downloads end with the client's idle
     * timeout (500 empty reads). The soak is about the testbed, not those model results, so its machine has the
     * cursor, 64 RX buffers and a 1024-frame queue: every download should then verify.
     */
    static final String DEFAULT_OVERRIDES = "sched.round_robin_from=cursor,nic.rx_buffers=64,nic.queue=1024";

    static final String HELP = """
            usage: java -cp benchmarks/target/benchmarks.jar io.testbed.bench.e2e.Soak [options]   (make soak SOAK_ARGS="...")
              --minutes=M             how long workers keep starting downloads (default 5); the run ends when the last one ends
              --downloads=N           concurrent downloads, one worker each (default 24: all user thread slots)
              --sessions=N            interactive sessions on the machine (sessions.count, default 4)
              --repo=NAME             default pack-1m
              --client=NAME           default bc
              --policy=P              sleep:MS | yield | blocking | backoff | poll:MS | a JSON policy object (default sleep:10)
              --machine=ID            use this existing machine instead of creating a live one (it is not deleted)
              --profile=NAME          profile of the machine created (default: the kernel's default profile)
              --overrides=K=V,K=V     more settings of the machine created, default
                                      sched.round_robin_from=cursor,nic.rx_buffers=64,nic.queue=1024 (with 4 sessions the
                                      profile's scheduler never runs a user thread, and its one-buffer NIC drops enough
                                      frames that ~1% of downloads hit the idle timeout; --overrides= shows it);
                                      sessions.count comes from --sessions
              --quiet-seconds=S       idle time before each resource sample, so that idle pool threads time out (default 75;
                                      tls-client's download pool and Tomcat's threads time out after 60 s)
              --progress-seconds=S    progress line period (default 15)
              --download-timeout-minutes=M  a download not ended after this is counted as failed (hung) (default 10)
              --thread-tolerance=N    threads a service may have more after than before (default 5)
              --fd-tolerance=N        open file descriptors a service may have more after than before (default 10)
              --heap-tolerance-mb=MB, --heap-tolerance-pct=P
                                      post-GC heap may grow by at most max(MB, P% of before) (default 16 MB, 15 %)
              --tls-client=URL        default http://127.0.0.1:8082
              --kernel=HOST:PORT      kernel-sim gRPC, default 127.0.0.1:50051
              --run-dir=DIR           pid files of the services (scripts/stack.sh), default .run
              --out=FILE              default reports/soak.json (and the .md next to it)
            Pass iff: every download (warm-up included) ended succeeded with pack.verified; no download hung; the
            machine has 0 user threads, 0 sockets open and is quiescent (no remote connection) after the run; and for each of the four services threads
            and fds after <= before + tolerance and post-GC heap after <= before + max(MB, P%).""";

    private static Object policy(String p) {
        if (p.startsWith("{")) {
            return Stack.JSON.readTree(p);
        }
        String[] s = p.split(":", 2);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", s[0]);
        if (s.length > 1) {
            switch (s[0]) {
                case "sleep" -> m.put("sleepMs", Integer.parseInt(s[1]));
                case "poll" -> m.put("timeoutMs", Integer.parseInt(s[1]));
                default -> throw new IllegalArgumentException("policy " + s[0] + " takes no ':' parameter; give JSON instead");
            }
        }
        return m;
    }

    int run() throws Exception {
        if (stack.status(stack.tlsClient + "/actuator/health") != 200) {
            System.err.println("tls-client (" + stack.tlsClient + ") is not healthy: start the stack with `sh scripts/stack.sh start` (make soak does).");
            return 2;
        }
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String s : SERVICES) {
            long pid = stack.pid(s);
            if (pid <= 0 || !Files.exists(Path.of("/proc/" + pid))) {
                System.err.println(s + " has no live pid in " + stack.runDir + "/" + s + ".pid: the soak measures the processes that"
                        + " scripts/stack.sh started (make soak starts them).");
                return 2;
            }
            pids.put(s, pid);
        }
        ObjectNode out = Stack.JSON.createObjectNode();
        out.put("when", Instant.now().toString());
        ObjectNode host = out.putObject("host");
        host.put("nproc", Runtime.getRuntime().availableProcessors());
        host.put("loadAtStart", Stack.load());
        host.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        ObjectNode settings = out.putObject("settings");
        settings.put("minutes", minutes);
        settings.put("downloads", downloads);
        settings.put("repo", repo);
        settings.put("client", client);
        settings.set("policy", Stack.JSON.valueToTree(policy));
        settings.put("quietSeconds", quietSeconds);
        ObjectNode rule = out.putObject("rule");
        rule.put("threadTolerance", threadTolerance);
        rule.put("fdTolerance", fdTolerance);
        rule.put("heapToleranceMb", heapToleranceMb);
        rule.put("heapTolerancePct", heapTolerancePct);
        rule.put("text", "pass iff every download ended succeeded with pack.verified (warm-up included) and none hung; the machine"
                + " reports 0 user threads and 0 sockets open and is quiescent (no remote connection left) after the run; and for each service, after a " + quietSeconds
                + " s quiet period both times: threads after <= before + " + threadTolerance + ", fds after <= before + "
                + fdTolerance + ", heap used after a full GC after <= before + max(" + fmt(heapToleranceMb, 0) + " MB, "
                + fmt(heapTolerancePct, 0) + "% of before)");

        // ---- the machine ----
        String machine = a.get("machine");
        boolean created = machine == null;
        Map<String, String> overrides = new LinkedHashMap<>();
        if (created) {
            overrides.put("sessions.count", a.getOrDefault("sessions", "4"));
            String more = a.getOrDefault("overrides", DEFAULT_OVERRIDES);
            if (!more.isBlank()) {
                for (String kv : more.split(",")) {
                    int eq = kv.indexOf('=');
                    overrides.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                }
            }
            machine = stack.admin.withDeadlineAfter(10, TimeUnit.SECONDS).create(CreateMachineRequest.newBuilder()
                    .setClock(Clock.CLOCK_LIVE).setProfile(a.getOrDefault("profile", "")).putAllOverrides(overrides)
                    .setSeed(1).setName("soak").build()).getId();
        }
        Machine m = stack.admin.withDeadlineAfter(10, TimeUnit.SECONDS).get(MachineRef.newBuilder().setId(machine).build());
        ObjectNode mn = out.putObject("machine");
        mn.put("id", machine);
        mn.put("created", created);
        mn.put("profile", m.getProfile());
        mn.put("clock", m.getClock().name());
        mn.put("sessions", m.getSettingsMap().get("sessions.count"));
        mn.put("schedPolicy", m.getSettingsMap().get("sched.policy"));
        mn.set("overrides", Stack.JSON.valueToTree(overrides));
        log("machine %s (%s, %s, profile %s, sessions.count=%s, sched %s); %d x %s, client %s, policy %s, %.1f min; %d cores, load %s",
                machine, created ? "created" : "given", m.getClock().name(), m.getProfile(), m.getSettingsMap().get("sessions.count"),
                m.getSettingsMap().get("sched.policy"), downloads, repo, client, Stack.JSON.writeValueAsString(policy), minutes,
                Runtime.getRuntime().availableProcessors(), Stack.load());
        int code;
        try {
            code = soak(out, machine, pids);
        } finally {
            if (created) {
                try {
                    stack.deleteMachine(machine);
                } catch (RuntimeException e) {
                    log("could not delete machine %s: %s", machine, e);
                }
            }
        }
        return code;
    }

    private int soak(ObjectNode out, String machine, Map<String, Long> pids) throws Exception {
        Warmup warmup = warmUp(out, machine);
        ObjectNode kernelBefore = kernelIdle(machine);
        Map<String, ObjectNode> before = quietThenSample(pids);
        before.forEach((s, n) -> log("before %-19s %s", s, n));

        double duration = soakFor(machine);
        soakFigures(out.putObject("soak"), duration, stack.stats(machine));

        ObjectNode kernelAfter = kernelIdle(machine);
        Map<String, ObjectNode> after = sampleAfter(pids, before);
        after.forEach((sv, n) -> log("after  %-19s %s", sv, n));

        boolean pass = judge(out, pids, warmup, kernelBefore, kernelAfter, before, after);
        out.put("warmupBytes", warmup.bytes());
        out.put("verdict", pass ? "pass" : "fail");
        writeReport(out, pass);
        return pass ? 0 : 1;
    }

    /** The warm-up round's outcome, kept for the judgement after the counters start again at 0. */
    private record Warmup(int verified, int failed, long bytes) {
    }

    /** One round of N downloads; its figures go to {@code out.warmup}, then the counters start again. */
    private Warmup warmUp(ObjectNode out, String machine) throws InterruptedException {
        log("warm-up: %d downloads at once", downloads);
        long w0 = System.nanoTime();
        runWorkers(machine, 0, true);
        ObjectNode warm = out.putObject("warmup");
        warm.put("downloads", started.get());
        warm.put("verified", verified.get());
        warm.put("failed", failed.get());
        warm.put("wallSeconds", EndToEnd.round((System.nanoTime() - w0) / 1e9, 1));
        log("warm-up: %d verified, %d failed in %.1f s", verified.get(), failed.get(), (System.nanoTime() - w0) / 1e9);
        Warmup w = new Warmup(verified.get(), failed.get(), bytes.get());
        started.set(0);
        verified.set(0);
        failed.set(0);
        bytes.set(0);
        wallSeconds.clear();
        simulatedSeconds.clear();
        return w;
    }

    /** The quiet period (idle pool threads time out), then a sample of the services. */
    private Map<String, ObjectNode> quietThenSample(Map<String, Long> pids) {
        log("quiet %d s before sampling the services ...", quietSeconds);
        Stack.sleep(quietSeconds * 1000L);
        return sample(pids);
    }

    /** The workers start downloads until the deadline, with a progress line every few seconds; returns the wall seconds. */
    private double soakFor(String machine) throws InterruptedException {
        log("soak: %d workers for %.1f min", downloads, minutes);
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (minutes * 60e9);
        Thread progress = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(progressSeconds * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
                progressLine(machine, t0);
            }
        }, "soak-progress");
        progress.setDaemon(true);
        progress.start();
        runWorkers(machine, deadline, false);
        progress.interrupt();
        double duration = (System.nanoTime() - t0) / 1e9;
        progressLine(machine, t0);
        return duration;
    }

    /** The soak's own figures and the machine's counters at its end. */
    private void soakFigures(ObjectNode s, double duration, MachineStats endStats) {
        s.put("durationSeconds", EndToEnd.round(duration, 1));
        s.put("downloads", started.get());
        s.put("verified", verified.get());
        s.put("failed", failed.get());
        s.put("bytes", bytes.get());
        s.put("mebibytes", EndToEnd.round(bytes.get() / 1048576.0, 1));
        s.put("verifiedPerMinute", EndToEnd.round(verified.get() / (duration / 60), 1));
        s.put("busyRetries", busyRetries.get());
        s.set("failureReasons", Stack.JSON.valueToTree(new TreeMap<>(failureReasons)));
        ArrayNode samples = s.putArray("failureSamples");
        failureSamples.stream().limit(20).forEach(samples::add);
        s.set("downloadWallSeconds", quantiles(wallSeconds));
        s.set("downloadSimulatedSeconds", quantiles(simulatedSeconds));
        Map<String, Long> c = endStats.getCountersMap();
        ObjectNode echo = s.putObject("echo");
        echo.put("note", "the machine's echo latency quantiles over its whole life (warm-up included), simulated time");
        echo.put("sessions", c.getOrDefault("sessions", -1L));
        echo.put(Counters.KEYSTROKES, c.getOrDefault(Counters.KEYSTROKES, -1L));
        echo.put(Counters.ECHOES, c.getOrDefault(Counters.ECHOES, -1L));
        echo.put("p50Ms", EndToEnd.round(c.getOrDefault(Counters.ECHO_LATENCY_P50_NS, -1L) / 1e6, 2));
        echo.put("p99Ms", EndToEnd.round(c.getOrDefault(Counters.ECHO_LATENCY_P99_NS, -1L) / 1e6, 2));
        echo.put("maxMs", EndToEnd.round(c.getOrDefault(Counters.ECHO_LATENCY_MAX_NS, -1L) / 1e6, 2));
        s.put("machineSimulatedSeconds", EndToEnd.round(endStats.getNowNs() / 1e9, 1));
        s.put("userThreadsCreated", c.getOrDefault(Counters.USER_THREADS_CREATED, -1L));
        s.put("userThreadsKilled", c.getOrDefault(Counters.USER_THREADS_KILLED, -1L));
        s.put("loadAtEnd", Stack.load());
    }

    /** After the quiet period; a service over its tolerance gets up to two more samples 15 s apart. */
    private Map<String, ObjectNode> sampleAfter(Map<String, Long> pids, Map<String, ObjectNode> before) {
        Map<String, ObjectNode> after = quietThenSample(pids);
        // a pool thread that was just timing out
        for (int retry = 0; retry < 2 && !within(before, after).isEmpty(); retry++) {
            log("over tolerance (%s); sampling again in 15 s", within(before, after));
            Stack.sleep(15_000);
            after = sample(pids);
        }
        return after;
    }

    /** Writes the samples and the checks into {@code out}; true iff every check passed. */
    private boolean judge(ObjectNode out, Map<String, Long> pids, Warmup warmup, ObjectNode kernelBefore,
                          ObjectNode kernelAfter, Map<String, ObjectNode> before, Map<String, ObjectNode> after) {
        ObjectNode k = out.putObject("kernel");
        k.set("idleBeforeSoak", kernelBefore);
        k.set("idleAfterSoak", kernelAfter);
        ObjectNode svc = out.putObject("services");
        for (String sv : SERVICES) {
            ObjectNode n = svc.putObject(sv);
            n.put("pid", pids.get(sv));
            n.set("before", before.get(sv));
            n.set("after", after.get(sv));
        }
        ArrayNode checks = out.putArray("checks");
        boolean pass = true;
        pass &= check(checks, "every download verified", failed.get() + warmup.failed() == 0 && verified.get() > 0,
                String.format("soak %d/%d verified, warm-up %d/%d", verified.get(), started.get(), warmup.verified(), warmup.verified() + warmup.failed()));
        long ut = kernelAfter.path("user_threads").asLong(-1);
        long so = kernelAfter.path("sockets_open").asLong(-1);
        long q = kernelAfter.path("quiescent").asLong(-1);
        pass &= check(checks, "machine: 0 user threads, 0 sockets, no remote connection after the run", ut == 0 && so == 0 && q == 1,
                "user_threads " + ut + ", sockets_open " + so + ", quiescent " + q + " (session threads, not counted: "
                        + kernelAfter.path("session_threads").asLong() + ")");
        for (String sv : SERVICES) {
            ObjectNode b = before.get(sv);
            ObjectNode af = after.get(sv);
            long tb = b.path("threads").asLong();
            long ta = af.path("threads").asLong();
            pass &= check(checks, sv + " threads", ta <= tb + threadTolerance, tb + " -> " + ta);
            long fb = b.path("fds").asLong();
            long fa = af.path("fds").asLong();
            pass &= check(checks, sv + " fds", fa <= fb + fdTolerance, fb + " -> " + fa);
            double hb = b.path("heapMb").asDouble();
            double ha = af.path("heapMb").asDouble();
            double limit = hb + Math.max(heapToleranceMb, hb * heapTolerancePct / 100);
            pass &= check(checks, sv + " heap after GC", hb > 0 && ha > 0 && ha <= limit,
                    fmt(hb, 1) + " MB -> " + fmt(ha, 1) + " MB (limit " + fmt(limit, 1) + " MB)");
        }
        return pass;
    }

    /** The Markdown on stdout, and soak.json and soak.md. */
    private void writeReport(ObjectNode out, boolean pass) throws IOException {
        String md = markdown(out);
        System.out.println();
        System.out.println(md);
        Path json = Path.of(a.getOrDefault("out", "reports/soak.json"));
        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, Stack.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
        Path mdFile = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        Files.writeString(mdFile, md + "\n");
        System.out.println("Written: " + json + ", " + mdFile);
        System.out.println("Verdict: " + (pass ? "PASS" : "FAIL"));
    }

    // ---- workers ----

    /** {@code downloads} workers; with {@code once} each does one download, else each starts downloads until {@code deadline}. */
    private void runWorkers(String machine, long deadline, boolean once) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(downloads);
        for (int i = 0; i < downloads; i++) {
            Thread t = new Thread(() -> {
                try {
                    do {
                        oneDownload(machine);
                    } while (!once && System.nanoTime() < deadline);
                } finally {
                    done.countDown();
                }
            }, "soak-worker-" + i);
            t.setDaemon(true);
            t.start();
        }
        done.await();
    }

    private void oneDownload(String machine) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kernel", "default");
        body.put("machineId", machine);
        body.put("repo", repo);
        body.put("client", client);
        body.put("policy", policy);
        long t0 = System.nanoTime();
        started.incrementAndGet();
        inFlight.incrementAndGet();
        try {
            String id = null;
            for (int attempt = 0; id == null; attempt++) {
                Map.Entry<Integer, JsonNode> r = stack.tryPost(stack.tlsClient + "/api/downloads", body);
                if (r.getKey() == 202 || r.getKey() == 200) {
                    id = r.getValue().path("id").asText();
                } else if ((r.getKey() == 503 || r.getKey() < 0) && attempt < 30) {
                    busyRetries.incrementAndGet();
                    Stack.sleep(1000);
                } else {
                    fail("start_refused", "POST /api/downloads -> " + r.getKey() + " " + r.getValue());
                    return;
                }
            }
            JsonNode d;
            while (true) {
                Stack.sleep(1000); // one GET a second per worker: tls-client's JSON view is not free
                try {
                    d = stack.get(stack.tlsClient + "/api/downloads/" + id);
                } catch (RuntimeException e) {
                    if (System.nanoTime() - t0 > downloadTimeoutNs) {
                        fail("unreachable", id + ": " + e.getMessage());
                        return;
                    }
                    continue;
                }
                String status = d.path("status").asText();
                if (!"running".equals(status) && !"queued".equals(status)) {
                    break;
                }
                if (System.nanoTime() - t0 > downloadTimeoutNs) {
                    fail("hung", id + " still " + status + " after " + TimeUnit.NANOSECONDS.toMinutes(downloadTimeoutNs)
                            + " min (" + d.path("bytes").asLong() + " bytes)");
                    return;
                }
            }
            wallSeconds.add((System.nanoTime() - t0) / 1e9);
            simulatedSeconds.add(d.path("simulatedNs").asLong() / 1e9);
            if ("succeeded".equals(d.path("status").asText()) && d.path("pack").path("verified").asBoolean(false)) {
                verified.incrementAndGet();
                bytes.addAndGet(d.path("bytes").asLong());
            } else {
                fail(d.path("reason").asText("status " + d.path("status").asText()),
                        id + " " + d.path("status").asText() + " after " + d.path("bytes").asLong() + " bytes: "
                                + d.path("error").asText("pack not verified"));
            }
        } catch (RuntimeException e) {
            fail("soak_client", e.toString());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void fail(String reason, String detail) {
        failed.incrementAndGet();
        failureReasons.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        if (failureSamples.size() < 50) {
            failureSamples.add(detail);
        }
        log("FAILED (%s): %s", reason, detail);
    }

    private void progressLine(String machine, long t0) {
        String k;
        try {
            Map<String, Long> c = stack.stats(machine).getCountersMap();
            k = String.format("machine: %d user threads, %d sockets, echo p50 %.1f ms p99 %.1f ms (%d echoes)",
                    c.getOrDefault(Counters.USER_THREADS, -1L), c.getOrDefault(Counters.SOCKETS_OPEN, -1L),
                    c.getOrDefault(Counters.ECHO_LATENCY_P50_NS, 0L) / 1e6, c.getOrDefault(Counters.ECHO_LATENCY_P99_NS, 0L) / 1e6,
                    c.getOrDefault(Counters.ECHOES, 0L));
        } catch (RuntimeException e) {
            k = "machine stats failed: " + e.getMessage();
        }
        log("%5.0f s: %d done (%d verified, %d failed), %d in flight, %.1f MiB; %s; load %s", (System.nanoTime() - t0) / 1e9,
                verified.get() + failed.get(), verified.get(), failed.get(), inFlight.get(), bytes.get() / 1048576.0, k, Stack.load());
    }

    // ---- measurements ----

    /**
     * The machine's counters once its user threads and sockets are gone and it is quiescent (no remote connection
     * left: its real upstream connections are closed), or after 60 s of waiting.
     */
    private ObjectNode kernelIdle(String machine) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        MachineStats st;
        do {
            st = stack.stats(machine);
            Map<String, Long> c = st.getCountersMap();
            if (c.getOrDefault(Counters.USER_THREADS, -1L) == 0 && c.getOrDefault(Counters.SOCKETS_OPEN, -1L) == 0
                    && c.getOrDefault(Counters.QUIESCENT, 0L) == 1) {
                break;
            }
            Stack.sleep(1000);
        } while (System.nanoTime() < deadline);
        Map<String, Long> c = st.getCountersMap();
        ObjectNode n = Stack.JSON.createObjectNode();
        for (String key : List.of(Counters.USER_THREADS, Counters.SOCKETS_OPEN, Counters.QUIESCENT, Counters.USER_THREADS_CREATED, Counters.USER_THREADS_KILLED,
                Counters.SESSIONS, Counters.ECHOES, Counters.KEYSTROKES, Counters.NIC_FRAMES_DROPPED, Counters.RETRANSMITS_LOCAL, Counters.RETRANSMITS_REMOTE)) {
            n.put(key, c.getOrDefault(key, -1L));
        }
        Map<String, Integer> kinds = new TreeMap<>();
        for (ThreadStats t : st.getThreadsList()) {
            if (!"TERMINATED".equals(t.getState())) {
                kinds.merge(t.getKind(), 1, Integer::sum);
            }
        }
        n.put("session_threads", kinds.getOrDefault("session", 0));
        n.set("threadKinds", Stack.JSON.valueToTree(kinds));
        log("machine idle: %s", n);
        return n;
    }

    /** Per service: heap used after a full GC (first, so that jcmd's attach listener exists in both samples), threads, fds. */
    private Map<String, ObjectNode> sample(Map<String, Long> pids) {
        Map<String, ObjectNode> r = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            long pid = e.getValue();
            ObjectNode n = Stack.JSON.createObjectNode();
            n.put("heapMb", EndToEnd.round(Stack.liveHeapMb(pid, 2), 1));
            n.put("threads", Stack.procKb(pid, "Threads"));
            Map<String, Integer> fds = fds(pid);
            n.put("fds", fds.values().stream().mapToInt(Integer::intValue).sum());
            n.set("fdKinds", Stack.JSON.valueToTree(fds));
            n.put("rssMb", EndToEnd.round(Stack.procKb(pid, "VmRSS") / 1024.0, 1));
            r.put(e.getKey(), n);
        }
        return r;
    }

    /** Open fds of a process by kind: socket, pipe, anon_inode, jar, file, other. */
    static Map<String, Integer> fds(long pid) {
        Map<String, Integer> kinds = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path p : s.toList()) {
                String kind;
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith("socket:")) {
                        kind = "socket";
                    } else if (target.startsWith("pipe:")) {
                        kind = "pipe";
                    } else if (target.startsWith("anon_inode:")) {
                        kind = "anon_inode";
                    } else if (target.endsWith(".jar")) {
                        kind = "jar";
                    } else if (target.startsWith("/")) {
                        kind = "file";
                    } else {
                        kind = "other";
                    }
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                kinds.merge(kind, 1, Integer::sum);
            }
        } catch (IOException e) {
            kinds.put("unreadable", -1);
        }
        return kinds;
    }

    /** Services over a tolerance (empty if none). */
    private List<String> within(Map<String, ObjectNode> before, Map<String, ObjectNode> after) {
        List<String> over = new ArrayList<>();
        for (String sv : SERVICES) {
            ObjectNode b = before.get(sv);
            ObjectNode af = after.get(sv);
            double hb = b.path("heapMb").asDouble();
            if (af.path("threads").asLong() > b.path("threads").asLong() + threadTolerance
                    || af.path("fds").asLong() > b.path("fds").asLong() + fdTolerance
                    || af.path("heapMb").asDouble() > hb + Math.max(heapToleranceMb, hb * heapTolerancePct / 100)) {
                over.add(sv);
            }
        }
        return over;
    }

    private static boolean check(ArrayNode checks, String what, boolean ok, String detail) {
        ObjectNode n = checks.addObject();
        n.put("check", what);
        n.put("ok", ok);
        n.put("detail", detail);
        return ok;
    }

    private static ObjectNode quantiles(List<Double> v) {
        ObjectNode n = Stack.JSON.createObjectNode();
        List<Double> s;
        synchronized (v) {
            s = new ArrayList<>(v);
        }
        Collections.sort(s);
        n.put("count", s.size());
        if (!s.isEmpty()) {
            n.put("p50", EndToEnd.round(s.get((int) Math.ceil(0.50 * s.size()) - 1), 2));
            n.put("p99", EndToEnd.round(s.get((int) Math.ceil(0.99 * s.size()) - 1), 2));
            n.put("max", EndToEnd.round(s.get(s.size() - 1), 2));
        }
        return n;
    }

    // ---- report ----

    static String markdown(JsonNode out) {
        StringBuilder b = new StringBuilder();
        JsonNode st = out.path("settings");
        JsonNode s = out.path("soak");
        JsonNode m = out.path("machine");
        b.append("# Soak: ").append(st.path("downloads").asInt()).append(" concurrent downloads + ")
                .append(m.path("sessions").asText()).append(" interactive sessions on one live machine\n\n");
        b.append("Written by `make soak` (`io.testbed.bench.e2e.Soak`) on ").append(out.path("when").asText()).append(": ")
                .append(st.path("repo").asText()).append(", client ").append(st.path("client").asText()).append(", policy `")
                .append(st.path("policy").toString()).append("`, machine ").append(m.path("id").asText()).append(" (")
                .append(m.path("clock").asText()).append(", profile ").append(m.path("profile").asText()).append(", overrides `")
                .append(m.path("overrides").toString()).append("`), ").append(st.path("minutes").asDouble()).append(" min of new downloads; ")
                .append(out.path("host").path("nproc").asInt()).append(" cores, load average at start ")
                .append(out.path("host").path("loadAtStart").asText()).append(", at the end ").append(s.path("loadAtEnd").asText())
                .append(".\n\n");
        b.append("| figure | value |\n|---|---|\n");
        b.append("| duration | ").append(fmt(s.path("durationSeconds").asDouble(), 1)).append(" s |\n");
        b.append("| downloads done (soak) | ").append(s.path("downloads").asInt()).append(" |\n");
        b.append("| verified | ").append(s.path("verified").asInt()).append(" |\n");
        b.append("| failed | ").append(s.path("failed").asInt()).append(s.path("failed").asInt() > 0 ? " " + s.path("failureReasons") : "").append(" |\n");
        b.append("| warm-up (before the soak) | ").append(out.path("warmup").path("verified").asInt()).append(" verified, ")
                .append(out.path("warmup").path("failed").asInt()).append(" failed |\n");
        b.append("| pack bytes verified | ").append(s.path("bytes").asLong()).append(" (").append(fmt(s.path("mebibytes").asDouble(), 1))
                .append(" MiB) |\n");
        JsonNode w = s.path("downloadWallSeconds");
        b.append("| download wall time p50 / p99 / max | ").append(fmt(w.path("p50").asDouble(), 1)).append(" / ")
                .append(fmt(w.path("p99").asDouble(), 1)).append(" / ").append(fmt(w.path("max").asDouble(), 1)).append(" s |\n");
        JsonNode e = s.path("echo");
        b.append("| echo latency p50 / p99 / max (").append(e.path("echoes").asLong()).append(" echoes) | ")
                .append(fmt(e.path("p50Ms").asDouble(), 2)).append(" / ").append(fmt(e.path("p99Ms").asDouble(), 2)).append(" / ")
                .append(fmt(e.path("maxMs").asDouble(), 2)).append(" ms |\n");
        JsonNode ka = out.path("kernel").path("idleAfterSoak");
        b.append("| machine after the run | ").append(ka.path("user_threads").asLong()).append(" user threads, ")
                .append(ka.path("sockets_open").asLong()).append(" sockets open, ")
                .append(ka.path("quiescent").asLong() == 1 ? "quiescent, " : "NOT quiescent (remote connections left), ")
                .append(ka.path("session_threads").asLong())
                .append(" session threads; ").append(s.path("userThreadsCreated").asLong()).append(" user threads created, ")
                .append(s.path("userThreadsKilled").asLong()).append(" killed |\n");
        b.append("| NIC frames dropped, retransmissions (remote, local) | ").append(ka.path("nic_frames_dropped").asLong()).append(", ")
                .append(ka.path("retransmits_remote").asLong()).append(", ").append(ka.path("retransmits_local").asLong()).append(" |\n\n");
        b.append("| service | threads before → after | fds before → after | heap after full GC, MB, before → after |\n|---|---|---|---|\n");
        for (String sv : SERVICES) {
            JsonNode n = out.path("services").path(sv);
            b.append("| ").append(sv).append(" | ").append(n.path("before").path("threads").asLong()).append(" → ")
                    .append(n.path("after").path("threads").asLong()).append(" | ").append(n.path("before").path("fds").asLong())
                    .append(" → ").append(n.path("after").path("fds").asLong()).append(" | ")
                    .append(fmt(n.path("before").path("heapMb").asDouble(), 1)).append(" → ")
                    .append(fmt(n.path("after").path("heapMb").asDouble(), 1)).append(" |\n");
        }
        b.append("\nRule: ").append(out.path("rule").path("text").asText()).append(".\n\n");
        b.append("| check | ok | detail |\n|---|---|---|\n");
        for (JsonNode c : out.path("checks")) {
            b.append("| ").append(c.path("check").asText()).append(" | ").append(c.path("ok").asBoolean() ? "yes" : "**no**")
                    .append(" | ").append(c.path("detail").asText()).append(" |\n");
        }
        b.append("\n**Verdict: ").append(out.path("verdict").asText().toUpperCase(Locale.ROOT)).append("**\n");
        if (s.path("failureSamples").size() > 0) {
            b.append("\nFailures (first ").append(s.path("failureSamples").size()).append("):\n\n");
            for (JsonNode f : s.path("failureSamples")) {
                b.append("- ").append(f.asText()).append('\n');
            }
        }
        return b.toString();
    }

    static String fmt(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static void log(String fmt, Object... args) {
        System.out.printf("[soak %s] %s%n", java.time.LocalTime.now().withNano(0), String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }
}
