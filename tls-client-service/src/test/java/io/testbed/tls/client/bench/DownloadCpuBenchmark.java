package io.testbed.tls.client.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.Counters;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.tls.client.config.TestbedProperties;
import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.download.DownloadPlan;
import io.testbed.tls.client.download.DownloadProgress;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.Downloader;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.kernel.KernelTargets;
import io.testbed.tls.client.metrics.TlsClientMetrics;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.IoStats;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tls-client's own CPU per download (issue 19): warm pack-4m downloads ({@code bc}, sleep 10 ms / 500 reads,
 * {@code akuma-2026-01-31}, virtual clock, the service's live metrics listener) on a kernel-sim in this JVM,
 * reached over gRPC on a Unix domain socket as {@code make run}'s stack does ({@code bench.kernel=grpc}, the
 * default) or through the in-process binding ({@code bench.kernel=inprocess}). Each download runs on a thread of its
 * own; the harness reads every thread's CPU time (ThreadMXBean) before and after each measured download and prints,
 * per download, the download thread's CPU, the client's gRPC transport threads' and the process's, then the threads
 * with the most CPU over all measured downloads. The machine's trace hash, syscall count and simulated time are
 * printed too: they must not move when the client's code gets faster. With {@code -Dbench.jfr=path} the measured
 * downloads are recorded by JFR (method samples every 1 ms; read with {@code java scripts/JfrTop.java path}).
 * Not part of the normal suite:
 * <pre>
 * ./mvnw -q -o -pl kernel-api,kernel-sim-service,git-http-server,tls-client-service -am test -Dtest=DownloadCpuBenchmark \
 *   -Dtestbed.benchmark=true -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.downloads=10] [-Dbench.warmup=5] \
 *   [-Dbench.kernel=grpc|inprocess] [-Dbench.cpu=zero|modelled] [-Dbench.protocol=v0|v1|v2] [-Dbench.keepAlive=true]
 *   [-Dbench.repo=pack-4m] [-Dbench.jfr=/tmp/client.jfr [-Dbench.jfr.tlab=true]]
 * </pre>
 * The figures are in {@code tls-client-service/target/surefire-reports/*DownloadCpuBenchmark-output.txt} and
 * {@code target/download-cpu.txt}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "testbed.benchmark", matches = "true")
public class DownloadCpuBenchmark {
    static final String REPO = System.getProperty("bench.repo", "pack-4m");
    static final String PROTOCOL = System.getProperty("bench.protocol", FetchOptions.V0);
    static final boolean KEEP_ALIVE = Boolean.getBoolean("bench.keepAlive");
    static final String DOWNLOAD_THREAD = "bench-download";

    /** The same outside JUnit (A/B runs of two builds on one classpath but for tls-client's classes). */
    public static void main(String[] args) throws Exception {
        new DownloadCpuBenchmark().pack4m_clientCpuPerDownload();
        System.exit(0);
    }

    @Test
    void pack4m_clientCpuPerDownload() throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 15);
        int downloads = Integer.getInteger("bench.downloads", 10);
        String binding = System.getProperty("bench.kernel", "grpc");
        CpuSpec cpu = "modelled".equals(System.getProperty("bench.cpu", "zero")) ? CpuSpec.modelled() : CpuSpec.zero();
        String jfr = System.getProperty("bench.jfr", "");

        SimulatedMachines sim = SimulatedMachines.get();
        MachineRegistry registry = sim.registry();
        GrpcServer server = null;
        KernelTargets targets = null;
        Path socketDir = null;
        Kernel kernel = sim.kernel();
        if (binding.equals("grpc")) {
            socketDir = Files.createTempDirectory("bench-uds-");
            KernelSimProperties p = new KernelSimProperties();
            p.setDefaultMachine(false);
            p.setUpstreams(List.of("git.testbed:443=127.0.0.1:" + sim.git().port() + ";marks=127.0.0.1:" + sim.git().marksPort()));
            p.getGrpc().setPort(0);
            p.getGrpc().setUdsPath(socketDir.resolve("kernel.sock").toString());
            registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
            server = new GrpcServer(p, registry, new SimpleMeterRegistry());
            server.start();
            targets = new KernelTargets(new TestbedProperties(Map.of("sim", "unix://" + p.getGrpc().getUdsPath()), null, null,
                    new TestbedProperties.HostKernel(false, null), null), new SimpleMeterRegistry(), (String) null);
            kernel = targets.get("sim");
        } else {
            assertThat(binding).as("bench.kernel").isEqualTo("inprocess");
        }
        TlsClientMetrics metrics = new TlsClientMetrics();
        metrics.bindTo(new SimpleMeterRegistry());
        ServerVerifier ca = ServerVerifier.fromCaFile(sim.git().caFile());
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, DOWNLOAD_THREAD));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder out = new StringBuilder();
        Map<String, Long> totalByThread = new HashMap<>();
        Recording recording = null;
        try {
            for (int i = 0; i < warmup; i++) {
                download(runner, registry, kernel, ca, metrics, cpu, "warm-" + i);
            }
            line(out, String.format(Locale.ROOT, "# %s, %s, cpu %s, protocol %s%s, %d warm-up + %d measured downloads; load %s",
                    REPO, binding, cpu.mode(), PROTOCOL, KEEP_ALIVE ? " keep-alive" : "", warmup, downloads, load()));
            line(out, "download  wall_ms  client_thread_ms  client_alloc_mb  client_grpc_ms  process_ms  simulated_ms  syscalls  round_trips"
                    + "  trace_hash");
            if (!jfr.isEmpty()) {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
                if (Boolean.getBoolean("bench.jfr.tlab")) {
                    // every new TLAB and every allocation outside one, with its stack: allocation by site
                    recording.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
                    recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
                }
                recording.start();
            }
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < downloads; i++) {
                Map<String, Long> before = cpuByThread(threads);
                long processBefore = os.getProcessCpuTime();
                long allocBefore = downloadThreadAllocated(threads, runner);
                long t0 = System.nanoTime();
                Outcome o = download(runner, registry, kernel, ca, metrics, cpu, "run-" + i);
                long wall = System.nanoTime() - t0;
                long process = os.getProcessCpuTime() - processBefore;
                long alloc = downloadThreadAllocated(threads, runner) - allocBefore;
                Map<String, Long> after = cpuByThread(threads);
                Map<String, Long> delta = new HashMap<>();
                after.forEach((name, ns) -> {
                    long d = ns - before.getOrDefault(name, 0L);
                    if (d > 0) {
                        delta.merge(name, d, Long::sum);
                        totalByThread.merge(name, d, Long::sum);
                    }
                });
                long client = delta.getOrDefault(DOWNLOAD_THREAD, 0L);
                long grpc = delta.entrySet().stream().filter(e -> clientTransport(e.getKey())).mapToLong(Map.Entry::getValue).sum();
                rows.add(new double[] {wall / 1e6, client / 1e6, alloc / 1e6, grpc / 1e6, process / 1e6});
                line(out, String.format(Locale.ROOT, "%-8s  %7.1f  %16.1f  %15.1f  %14.1f  %10.1f  %12.1f  %8d  %11d  %d",
                        "run-" + i, wall / 1e6, client / 1e6, alloc / 1e6, grpc / 1e6, process / 1e6, o.simulatedNs / 1e6, o.syscalls,
                        o.calls, o.traceHash));
            }
            if (recording != null) {
                recording.stop();
                recording.dump(Path.of(jfr));
                line(out, "JFR recording of the measured downloads: " + jfr);
            }
            line(out, "median    " + String.format(Locale.ROOT, "%7.1f  %16.1f  %15.1f  %14.1f  %10.1f", median(rows, 0),
                    median(rows, 1), median(rows, 2), median(rows, 3), median(rows, 4)));
            line(out, "min       " + String.format(Locale.ROOT, "%7.1f  %16.1f  %15.1f  %14.1f  %10.1f", min(rows, 0),
                    min(rows, 1), min(rows, 2), min(rows, 3), min(rows, 4)));
            line(out, "# CPU by thread over the " + downloads + " measured downloads, ms per download (top 12):");
            totalByThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(e -> line(out, String.format(Locale.ROOT, "  %8.1f  %s", e.getValue() / 1e6 / downloads, e.getKey())));
            line(out, "# load after: " + load());
            Path report = Path.of("target", "download-cpu.txt");
            Files.createDirectories(report.getParent());
            Files.writeString(report, out.toString());
        } finally {
            if (recording != null) {
                recording.close();
            }
            runner.shutdownNow();
            if (targets != null) {
                targets.destroy();
            }
            if (server != null) {
                server.stop();
                registry.close();
            }
            if (socketDir != null) {
                Files.deleteIfExists(socketDir.resolve("kernel.sock"));
                Files.deleteIfExists(socketDir);
            }
        }
    }

    /** The machine's figures: simulated time, syscalls, those the client asked for (round trips), trace hash. */
    /** Bytes allocated so far by the runner's one thread. */
    static long downloadThreadAllocated(com.sun.management.ThreadMXBean mx, ExecutorService runner) throws Exception {
        long id = runner.submit(() -> Thread.currentThread().getId()).get();
        return mx.getThreadAllocatedBytes(id);
    }

    record Outcome(long simulatedNs, long syscalls, long calls, long traceHash) {
    }

    static Outcome download(ExecutorService runner, MachineRegistry registry, Kernel kernel, ServerVerifier ca,
                            TlsClientMetrics metrics, CpuSpec cpu, String id) throws Exception {
        String machine = registry.create("bench", SimulatedMachines.AKUMA, Map.of(), Clock.CLOCK_VIRTUAL, 1).id();
        try {
            DownloadPlan plan = new DownloadPlan(id, machine, REPO, "git.testbed", 443, TlsEngines.get("bc"),
                    new TlsSettings("git.testbed", ca, null, null), WouldBlockPolicies.create(PolicySpec.sleep(10, 500)), 4096,
                    FetchOptions.defaults("testbed-bench/1").withProtocol(PROTOCOL), cpu, KEEP_ALIVE);
            DownloadProgress progress = new DownloadProgress(new IoStats(metrics.live("bc", "sleep")));
            Future<DownloadResult> run = runner.submit(() -> Downloader.run(kernel, plan, progress));
            DownloadResult r = run.get(5, TimeUnit.MINUTES);
            assertThat(r.error()).as("download error").isNull();
            assertThat(r.pack().verified()).isTrue();
            Map<String, Long> c = settled(registry, machine);
            long syscalls = c.entrySet().stream().filter(e -> e.getKey().startsWith(Counters.SYSCALLS_PREFIX))
                    .mapToLong(Map.Entry::getValue).sum();
            return new Outcome(r.simulatedNs(), syscalls, syscalls - c.get(Counters.REPEATED_SYSCALLS), c.get(Counters.TRACE_HASH));
        } finally {
            registry.delete(machine);
        }
    }

    static Map<String, Long> settled(MachineRegistry registry, String machine) throws Exception {
        Map<String, Long> c = counters(registry, machine);
        for (int i = 0; i < 600 && c.get("quiescent") == 0; i++) {
            Thread.sleep(50);
            c = counters(registry, machine);
        }
        assertThat(c.get("quiescent")).as("the machine settles").isEqualTo(1L);
        return c;
    }

    static Map<String, Long> counters(MachineRegistry registry, String machine) throws Exception {
        return registry.get(machine).loop().stats().get(10, TimeUnit.SECONDS).getCountersMap();
    }

    /** The client channel's transport threads: gRPC's shared event loops (the server's are grpc-uds / grpc-nio-*). */
    static boolean clientTransport(String thread) {
        return thread.startsWith("grpc-default-worker") || thread.startsWith("grpc-default-executor");
    }

    /** CPU ns by thread name (threads of the same name added up). */
    static Map<String, Long> cpuByThread(java.lang.management.ThreadMXBean mx) {
        Map<String, Long> m = new LinkedHashMap<>();
        long[] ids = mx.getAllThreadIds();
        ThreadInfo[] infos = mx.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            long ns = mx.getThreadCpuTime(ids[i]);
            if (ns > 0) {
                m.merge(infos[i].getThreadName(), ns, Long::sum);
            }
        }
        return m;
    }

    static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double min(List<double[]> rows, int column) {
        return rows.stream().mapToDouble(r -> r[column]).min().orElse(0);
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static void line(StringBuilder out, String s) {
        System.out.println(s);
        out.append(s).append('\n');
    }
}
