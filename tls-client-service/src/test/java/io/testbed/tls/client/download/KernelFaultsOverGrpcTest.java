package io.testbed.tls.client.download;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.grpc.GrpcKernel;
import io.testbed.kernel.api.v1.Clock;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.tls.client.config.TestbedProperties;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.kernel.KernelTargets;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8's kernel-side faults seen from the client, over real gRPC: kernel-sim's own
 * {@link GrpcServer} and {@link MachineRegistry} in-process on a free port, reached through this
 * service's {@link KernelTargets} (the channel the service uses, with its gRPC client metrics);
 * real TLS to the real git server.
 */
@DisplayName("A download through kernel-sim over gRPC")
class KernelFaultsOverGrpcTest {
    static final SimulatedMachines SIM = SimulatedMachines.get(); // the git server and its CA

    MachineRegistry registry;
    GrpcServer server;
    SimpleMeterRegistry meters;
    KernelTargets targets;
    ExecutorService pool;

    void startKernel(int port) {
        KernelSimProperties p = new KernelSimProperties();
        p.setDefaultMachine(false);
        p.setUpstreams(List.of("git.testbed:443=127.0.0.1:" + SIM.git().port()));
        p.getGrpc().setPort(port);
        registry = new MachineRegistry(p, KernelListener.NONE, System::nanoTime);
        server = new GrpcServer(p, registry, new SimpleMeterRegistry());
        server.start();
    }

    void stopKernel() {
        if (server != null) {
            server.stop();
            registry.close();
            server = null;
        }
    }

    @BeforeEach
    void setUp() {
        startKernel(0);
        meters = new SimpleMeterRegistry();
        targets = new KernelTargets(new TestbedProperties(Map.of("sim", "127.0.0.1:" + server.port()), null, null,
                new TestbedProperties.HostKernel(false, null), null), meters, (String) null);
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        targets.destroy();
        stopKernel();
    }

    String machine() {
        return registry.create("grpc-fault", SimulatedMachines.AKUMA, Map.of(), Clock.CLOCK_VIRTUAL, 1).id();
    }

    static DownloadPlan plan(String id, String machine, String repo) throws IOException {
        return new DownloadPlan(id, machine, repo, "git.testbed", 443, TlsEngines.get("bc"),
                new TlsSettings("git.testbed", ServerVerifier.fromCaFile(SIM.git().caFile()), null, null),
                WouldBlockPolicies.create(PolicySpec.sleep(1, 5000)), 4096, FetchOptions.defaults("testbed-test/1"));
    }

    /** Starts pack-1m on {@code kernel}; the future completes when 128 KiB of pack have arrived. */
    Future<DownloadResult> startDownload(Kernel kernel, String machine, CompletableFuture<Void> midway) throws IOException {
        DownloadProgress progress = new DownloadProgress(new IoStats());
        progress.addListener(p -> {
            if (p.bytes() >= 128 * 1024) {
                midway.complete(null);
            }
        });
        DownloadPlan plan = plan("grpc", machine, "pack-1m");
        return pool.submit(() -> Downloader.run(kernel, plan, progress));
    }

    @Test
    @DisplayName("fails fast with a kernel error when kernel-sim goes away mid-download, and works again once it is back")
    void kernelRestartedMidDownload_failsFast_thenRecovers() throws Exception {
        String m = machine();
        CompletableFuture<Void> midway = new CompletableFuture<>();
        Future<DownloadResult> running = startDownload(targets.get("sim"), m, midway);
        midway.get(60, TimeUnit.SECONDS);
        int port = server.port();
        long stopped = System.nanoTime();
        stopKernel(); // the gRPC server shut down, its machines gone
        DownloadResult r = running.get(30, TimeUnit.SECONDS);
        double failedAfterS = (System.nanoTime() - stopped) / 1e9;

        assertThat(r.status()).isEqualTo("failed");
        assertThat(r.reason()).as(r.error()).isEqualTo("kernel");
        assertThat(r.error()).startsWith("kernel ended user thread").containsAnyOf("UNAVAILABLE", "CANCELLED");
        assertThat(r.bytes()).isGreaterThanOrEqualTo(128 * 1024);
        assertThat(failedAfterS).as("seconds from the kernel's stop to the failed result").isLessThan(5);
        System.out.printf("kernel-sim stopped mid-download: the download failed %.3f s (wall) later with: %s%n", failedAfterS, r.error());

        startKernel(port); // restarted on the same port: the same channel reconnects
        String again = machine();
        DownloadResult after = Downloader.run(targets.get("sim"), plan("after", again, "pack-256k"), new DownloadProgress(new IoStats()));
        assertThat(after.error()).isNull();
        assertThat(after.pack().verified()).isTrue();

        Counter sent = meters.find("grpc.client.requests.sent").tag("method", "Thread").counter();
        assertThat(sent).isNotNull();
        assertThat(sent.count()).isGreaterThan(100);
        // the broken call and the one after it, whatever status the transport gave the broken one. A call's
        // duration is recorded when the transport closes it, which may come just after the download returns.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (callsTimed() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(callsTimed()).isGreaterThanOrEqualTo(2);
    }

    private long callsTimed() {
        return meters.find("grpc.client.processing.duration").tag("method", "Thread").timers().stream()
                .mapToLong(Timer::count).sum();
    }

    @Test
    @DisplayName("killed mid-download (its gRPC channel shut down), the machine reaps its thread and socket and serves the next")
    void clientKilledMidDownload_threadAndSocketReaped() throws Exception {
        String m = machine();
        ManagedChannel own = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        CompletableFuture<Void> midway = new CompletableFuture<>();
        Future<DownloadResult> running = startDownload(new GrpcKernel(own, true, Duration.ofSeconds(30)), m, midway);
        midway.get(60, TimeUnit.SECONDS);
        own.shutdownNow(); // the client process dies: its streams are cancelled
        DownloadResult r = running.get(30, TimeUnit.SECONDS);
        assertThat(r.reason()).as(r.error()).isEqualTo("kernel");

        Map<String, Long> c = counters(m);
        for (int i = 0; i < 100 && (c.get("user_threads") != 0 || c.get("sockets_open") != 0); i++) {
            Thread.sleep(20);
            c = counters(m);
        }
        assertThat(c).containsEntry("user_threads", 0L).containsEntry("sockets_open", 0L)
                .containsEntry("user_threads_killed", 1L);
        System.out.printf("client killed mid-download: %s; machine counters user_threads=%d sockets_open=%d user_threads_killed=%d%n",
                r.error(), c.get("user_threads"), c.get("sockets_open"), c.get("user_threads_killed"));

        DownloadResult next = Downloader.run(targets.get("sim"), plan("next", m, "pack-256k"), new DownloadProgress(new IoStats()));
        assertThat(next.error()).isNull();
        assertThat(next.pack().verified()).isTrue();
    }

    Map<String, Long> counters(String machine) throws Exception {
        return registry.get(machine).loop().stats().get(10, TimeUnit.SECONDS).getCountersMap();
    }
}
