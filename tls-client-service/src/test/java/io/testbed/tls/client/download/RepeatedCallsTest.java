package io.testbed.tls.client.download;

import io.testbed.kernel.api.Counters;
import io.testbed.kernel.api.ForwardingUserThread;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The would-block loop run by the kernel ({@code SyscallRequest.repeat}, issue 19) changes nothing the
 * machine sees or the client reports: the same download with the loop in the client (one round trip per
 * EAGAIN and per wait) and in the kernel gives the same trace hash, the same simulated times and the same
 * figures, for every policy the kernel can run, and the same idle timeout against a server that never answers.
 */
class RepeatedCallsTest {
    static final SimulatedMachines SIM = SimulatedMachines.get();

    record Run(long traceHash, long repeated, Map<String, Long> syscalls, DownloadResult result) {
    }

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of("sleep 10 ms (Akuma's)", PolicySpec.sleep(10, 500), Map.of()),
                Arguments.of("akuma-tls (1 ms, no bound)", PolicySpec.of("akuma-tls"), Map.of()),
                Arguments.of("yield", PolicySpec.of("yield"), Map.of()),
                Arguments.of("blocking (Akuma's kernel loop answers EAGAIN)", PolicySpec.of("blocking"), Map.of()),
                Arguments.of("poll 10 ms", PolicySpec.poll(10), Map.of("syscall.poll", "enabled")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    @DisplayName("a download: identical trace hash, times and figures with the loop in the kernel and in the client")
    void sameDownloadEitherWay(String label, PolicySpec policy, Map<String, String> overrides) throws Exception {
        Run client = download(clientLoops(SIM.kernel()), SimulatedMachines.AKUMA, policy, overrides, 443);
        Run kernel = download(SIM.kernel(), SimulatedMachines.AKUMA, policy, overrides, 443);

        assertThat(client.result().error()).as("download error").isNull();
        assertThat(client.result().pack().verified()).isTrue();
        assertThat(client.repeated()).as("no repeated calls when the client loops").isZero();
        assertThat(kernel.repeated()).as("the kernel ran the loop").isPositive();
        assertThat(kernel.result().waits().wouldBlocks()).as("the download met EAGAINs").isPositive();

        assertThat(kernel.traceHash()).as("trace hash").isEqualTo(client.traceHash());
        assertThat(kernel.syscalls()).as("the machine's counts by syscall and errno").isEqualTo(client.syscalls());
        assertThat(kernel.result().timing().simulatedNs()).isEqualTo(client.result().timing().simulatedNs());
        assertThat(kernel.result().timing().handshakeNs()).isEqualTo(client.result().timing().handshakeNs());
        assertThat(kernel.result().io()).isEqualTo(client.result().io());
        assertThat(kernel.result().waits()).isEqualTo(client.result().waits());
        assertThat(kernel.result().pack()).isEqualTo(client.result().pack());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idleBounds")
    @DisplayName("a server that never answers: the same idle timeout, at the same simulated time, either way")
    void sameIdleTimeoutEitherWay(String label, PolicySpec policy) throws Exception {
        Run client = download(clientLoops(SIM.kernel()), SimulatedMachines.AKUMA, policy, Map.of(), SimulatedMachines.SILENT_PORT);
        Run kernel = download(SIM.kernel(), SimulatedMachines.AKUMA, policy, Map.of(), SimulatedMachines.SILENT_PORT);

        assertThat(client.result().error()).contains("idle timeout");
        assertThat(kernel.result().error()).isEqualTo(client.result().error());
        assertThat(kernel.repeated()).isPositive();
        assertThat(kernel.traceHash()).isEqualTo(client.traceHash());
        assertThat(kernel.result().waits()).isEqualTo(client.result().waits());
        assertThat(kernel.result().timing().simulatedNs()).isEqualTo(client.result().timing().simulatedNs());
    }

    @org.junit.jupiter.api.Test
    @DisplayName("a download the machine ends (its time limit) inside the kernel's loop: the client still saw every call that completed")
    void cutShortByTheMachine_sameFiguresEitherWay() throws Exception {
        // akuma-tls has no idle bound: only the machine's end stops the download, in the middle of a repeated call
        Map<String, String> limit = Map.of("machine.max_simulated_s", "3");
        Run client = download(clientLoops(SIM.kernel()), SimulatedMachines.AKUMA, PolicySpec.of("akuma-tls"), limit,
                SimulatedMachines.SILENT_PORT);
        Run kernel = download(SIM.kernel(), SimulatedMachines.AKUMA, PolicySpec.of("akuma-tls"), limit,
                SimulatedMachines.SILENT_PORT);

        assertThat(client.result().error()).contains("max_simulated_s");
        assertThat(kernel.result().error()).isEqualTo(client.result().error());
        assertThat(kernel.repeated()).isPositive();
        assertThat(kernel.traceHash()).isEqualTo(client.traceHash());
        assertThat(kernel.result().waits().wouldBlocks()).as("would-blocks").isPositive()
                .isEqualTo(client.result().waits().wouldBlocks());
        assertThat(kernel.result().waits()).isEqualTo(client.result().waits());
        assertThat(kernel.result().io()).isEqualTo(client.result().io());
        assertThat(kernel.result().timing().simulatedNs()).isEqualTo(client.result().timing().simulatedNs());
    }

    @org.junit.jupiter.api.Test
    @DisplayName("a machine held at its stop time inside the kernel's loop: the client's figures then are a looping client's")
    void heldAtTheStopTime_sameFiguresEitherWay() throws Exception {
        Held client = figuresWhenHeld(clientLoops(SIM.kernel()));
        Held kernel = figuresWhenHeld(SIM.kernel());

        assertThat(kernel.waits().wouldBlocks()).as("would-blocks").isPositive();
        assertThat(kernel).isEqualTo(client);
    }

    /** A download from the silent server on a machine with machine.stop_at_ms: its figures once the machine is held. */
    record Held(DownloadResult.Waits waits, long syscalls, long lastExitNs) {
    }

    static Held figuresWhenHeld(Kernel kernel) throws Exception {
        String machine = SIM.create(SimulatedMachines.AKUMA, Map.of("machine.stop_at_ms", "3000"));
        DownloadProgress progress = new DownloadProgress(new IoStats());
        java.util.concurrent.ExecutorService runner = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<DownloadResult> run = runner.submit(() -> Downloader.run(kernel,
                    plan(machine, PolicySpec.of("akuma-tls"), SimulatedMachines.SILENT_PORT), progress));
            var loop = SIM.registry().get(machine).loop();
            for (int i = 0; i < 1000 && !loop.held(); i++) {
                Thread.sleep(10);
            }
            assertThat(loop.held()).as("the machine stands at its stop time").isTrue();
            IoStats stats = progress.stats();
            Held seen = new Held(DownloadResult.Waits.of(stats), stats.syscalls(), stats.lastExitNs());
            SIM.delete(machine);
            assertThat(run.get(60, java.util.concurrent.TimeUnit.SECONDS).error()).contains("machine deleted");
            return seen;
        } finally {
            runner.shutdownNow();
        }
    }

    static Stream<Arguments> idleBounds() {
        return Stream.of(
                // 5000 reads: more than one repeated call waits through (1024), so the client asks again and again
                Arguments.of("by count: sleep 1 ms, 5000 empty reads", PolicySpec.sleep(1, 5000)),
                Arguments.of("by time: blocking, 5 s", PolicySpec.of("blocking")));
    }

    static Run download(Kernel kernel, String profile, PolicySpec policy, Map<String, String> extra, int port) throws Exception {
        Map<String, String> overrides = new HashMap<>(extra);
        String machine = SIM.create(profile, overrides);
        try {
            DownloadResult r = Downloader.run(kernel, plan(machine, policy, port), new DownloadProgress(new IoStats()));
            Map<String, Long> c = MarksDeterminismTest.settled(machine);
            Map<String, Long> calls = new TreeMap<>();
            c.forEach((k, v) -> {
                if (k.startsWith(Counters.SYSCALLS_PREFIX) || k.startsWith(Counters.ERRNO_PREFIX)) {
                    calls.put(k, v);
                }
            });
            return new Run(c.get(Counters.TRACE_HASH), c.get(Counters.REPEATED_SYSCALLS), calls, r);
        } finally {
            SIM.delete(machine);
        }
    }

    static DownloadPlan plan(String machine, PolicySpec policy, int port) throws java.io.IOException {
        return new DownloadPlan("repeat-" + policy.type(), machine, "pack-256k", "git.testbed", port,
                TlsEngines.get("bc"), new TlsSettings("git.testbed", ServerVerifier.fromCaFile(SIM.git().caFile()), null, null),
                WouldBlockPolicies.create(policy), 4096, FetchOptions.defaults("testbed-test/1"), CpuSpec.modelled(), false);
    }

    /** The same kernel, whose threads make the client run its would-block loop itself. */
    static Kernel clientLoops(Kernel inner) {
        return new Kernel() {
            @Override
            public UserThread attach(String machineId, String threadName, String owner) {
                return new ForwardingUserThread(inner.attach(machineId, threadName, owner)) {
                    @Override
                    public boolean repeatsOnWouldBlock() {
                        return false;
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }
}
