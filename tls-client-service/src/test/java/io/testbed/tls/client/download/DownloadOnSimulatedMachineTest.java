package io.testbed.tls.client.download;

import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole downloads through a simulated Akuma machine (kernel-sim in-process, virtual clock) from the
 * real git server: corruption, concurrency, the git and HTTP options, CPU accounting and progress.
 */
@DisplayName("A download on a simulated Akuma machine")
class DownloadOnSimulatedMachineTest {
    static final SimulatedMachines SIM = SimulatedMachines.get();
    String machine;

    @BeforeEach
    void createMachine() {
        machine = SIM.create(SimulatedMachines.AKUMA, Map.of());
    }

    @AfterEach
    void deleteMachine() {
        SIM.delete(machine);
    }

    static DownloadPlan plan(String id, String machine, String repo, String engine) throws IOException {
        return new DownloadPlan(id, machine, repo, "git.testbed", 443, TlsEngines.get(engine),
                new TlsSettings("git.testbed", ServerVerifier.fromCaFile(SIM.git().caFile()), null, null),
                WouldBlockPolicies.create(PolicySpec.sleep(1, 5000)), 4096, FetchOptions.defaults("testbed-test/1"));
    }

    static DownloadResult run(DownloadPlan plan) {
        return Downloader.run(SIM.kernel(), plan, new DownloadProgress(new IoStats()));
    }

    interface OnMachine {
        DownloadResult run(String machine) throws IOException;
    }

    static DownloadResult onFreshMachine(OnMachine body) throws IOException {
        String m = SIM.create(SimulatedMachines.AKUMA, Map.of());
        try {
            return body.run(m);
        } finally {
            SIM.delete(m);
        }
    }

    @Nested
    @DisplayName("with a fault injected")
    class Faults {
        @Test
        @DisplayName("has the pack parser reject a byte flipped after decryption, and says why")
        void download_packByteFlippedAfterDecryption_packRejected() throws IOException {
            DownloadPlan p = plan("flip", machine, "pack-1m", "bc");
            DownloadResult r = run(p.withFetch(p.fetch().withPackFilter(in -> new DownloadOverHostKernelTest.FlipAt(in, 300_000))));

            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).as(r.error()).isEqualTo("pack_rejected");
            assertThat(r.error()).startsWith("pack rejected:");
            assertThat(r.pack()).isNull();
            assertThat(r.bytes()).isGreaterThan(300_000);
        }
    }

    @Nested
    @DisplayName("with others on the same machine")
    class Concurrent {
        @Test
        @DisplayName("four at once, each its own simulated thread, all verify")
        void fourDownloadsOnOneMachine_allVerify() throws Exception {
            String[] engines = {"bc", "jdk", "bcjsse", "boringssl"};
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<DownloadResult>> futures = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    DownloadPlan p = plan("c" + i, machine, "pack-256k", engines[i]);
                    futures.add(pool.submit(() -> run(p)));
                }
                long minStart = Long.MAX_VALUE;
                for (Future<DownloadResult> f : futures) {
                    DownloadResult r = f.get(120, TimeUnit.SECONDS);
                    assertThat(r.error()).isNull();
                    assertThat(r.pack().verified()).isTrue();
                    assertThat(r.pack().objects()).isEqualTo(SIM.git().objects("pack-256k"));
                    System.out.printf("concurrent pack-256k: simulated %.3f s, would-blocks %d%n", r.simulatedNs() / 1e9, r.waits().wouldBlocks());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("with the git and HTTP options")
    class Options {
        @Test
        @DisplayName("protocol v2 over one kept-alive TLS connection: one handshake, a verified pack")
        void download_protocolV2KeepAlive_oneConnection() throws IOException {
            DownloadPlan p = plan("v2ka", machine, "pack-256k", "jdk");
            DownloadResult r = run(p.withFetch(p.fetch().withProtocol(FetchOptions.V2)).withKeepAlive(true));

            assertThat(r.error()).isNull();
            assertThat(r.pack().verified()).isTrue();
            assertThat(r.io().connections()).isEqualTo(1);
        }

        @Test
        @DisplayName("protocol v2 with a connection per request: three requests, three handshakes")
        void download_protocolV2_threeConnections() throws IOException {
            DownloadPlan p = plan("v2", machine, "pack-256k", "bc");
            DownloadResult r = run(p.withFetch(p.fetch().withProtocol(FetchOptions.V2)));

            assertThat(r.error()).isNull();
            assertThat(r.io().connections()).isEqualTo(3);
        }

        @Test
        @DisplayName("protocol v0 with keep-alive: both requests on one connection")
        void download_v0KeepAlive_oneConnection() throws IOException {
            DownloadResult r = run(plan("v0ka", machine, "pack-256k", "boringssl").withKeepAlive(true));

            assertThat(r.error()).isNull();
            assertThat(r.io().connections()).isEqualTo(1);
        }

        @Test
        @DisplayName("keeps the server's band-2 progress when progress is asked for")
        void download_progressAsked_band2Kept() throws IOException {
            DownloadPlan p = plan("progress", machine, "pack-256k", "bc");
            DownloadResult r = run(p.withFetch(p.fetch().withAskProgress(true)));

            assertThat(r.error()).isNull();
            assertThat(r.git().serverProgress()).isNotEmpty();
            assertThat(String.join("\n", r.git().serverProgress())).contains("%"); // JGit's "Finding sources: 100% (21/21)" and the like
        }
    }

    @Nested
    @DisplayName("with userspace CPU accounting")
    class Cpu {
        @Test
        @DisplayName("zero charges nothing; modelled charges the table, the same on every run")
        void modelledCpu_chargesTableDeterministically() throws IOException {
            DownloadResult zero = run(plan("cpu0", machine, "pack-256k", "bc"));
            DownloadResult modelled = onFreshMachine(m -> run(plan("cpu1", m, "pack-256k", "bc").withCpu(CpuSpec.modelled())));
            DownloadResult again = onFreshMachine(m -> run(plan("cpu2", m, "pack-256k", "bc").withCpu(CpuSpec.modelled())));

            assertThat(zero.cpu().userCpu()).isEqualTo("zero");
            assertThat(zero.cpu().userCpuNs()).isZero();
            assertThat(modelled.error()).isNull();
            // the defaults are Akuma's table under QEMU TCG (UserCostTable.akumaQemuTcg())
            io.testbed.tls.client.cpu.ModelledCpu d = io.testbed.tls.client.cpu.ModelledCpu.defaults();
            assertThat(modelled.cpu().userCpu()).startsWith("modelled: handshake " + d.handshakeNs() / 1000 + " us");
            long expectedAtLeast = 2 * d.handshakeNs() + modelled.io().tlsRecords() * d.perRecordNs() + modelled.bytes() * d.perPackByteNs();
            assertThat(modelled.cpu().userCpuNs()).isGreaterThanOrEqualTo(expectedAtLeast);
            // not necessarily slower: time spent computing is time the data spends arriving, so fewer sleeps
            assertThat(modelled.simulatedNs()).isNotEqualTo(zero.simulatedNs());
            assertThat(again.cpu().userCpuNs()).isEqualTo(modelled.cpu().userCpuNs());
            assertThat(again.simulatedNs()).isEqualTo(modelled.simulatedNs());
            System.out.printf("pack-256k bc sleep 1 ms: zero %.3f s, modelled %.3f s (user cpu %.1f ms), second machine %.3f s%n",
                    zero.simulatedNs() / 1e9, modelled.simulatedNs() / 1e9, modelled.cpu().userCpuNs() / 1e6, again.simulatedNs() / 1e9);
        }

        @Test
        @DisplayName("modelled declares its TLS and pack work by kind, and the kernel books exactly that to the thread")
        void modelledCpu_tlsAndPackShares_reachTheKernelsThreadAccounting() throws IOException {
            IoStats stats = new IoStats();
            io.testbed.kernel.api.v1.ThreadStats[] thread = new io.testbed.kernel.api.v1.ThreadStats[1];
            DownloadResult r = onFreshMachine(m -> {
                DownloadResult result = Downloader.run(SIM.kernel(), plan("kinds", m, "pack-256k", "bc").withCpu(CpuSpec.modelled()),
                        new DownloadProgress(stats));
                thread[0] = SIM.threads(m).stream().filter(t -> "user".equals(t.getKind())).findFirst().orElseThrow();
                return result;
            });

            assertThat(r.error()).isNull();
            long tls = stats.userCpuNs(io.testbed.kernel.api.UserCpuKind.TLS);
            long pack = stats.userCpuNs(io.testbed.kernel.api.UserCpuKind.PACK);
            io.testbed.tls.client.cpu.ModelledCpu d = io.testbed.tls.client.cpu.ModelledCpu.defaults();
            // TLS: two handshakes (refs, pack), every record and every decrypted byte; pack: every pack byte parsed
            assertThat(tls).isGreaterThanOrEqualTo(2 * d.handshakeNs() + r.io().tlsRecords() * d.perRecordNs());
            assertThat(pack).isGreaterThanOrEqualTo(r.bytes() * d.perPackByteNs()).isPositive();
            assertThat(stats.userCpuNs(io.testbed.kernel.api.UserCpuKind.OTHER)).as("modelled has no unattributed work").isZero();
            // the kernel ran and booked exactly what was declared, kind by kind
            assertThat(thread[0].getUserCpuNs()).isEqualTo(r.cpu().userCpuNs()).isEqualTo(tls + pack);
            assertThat(thread[0].getUserCpuTlsNs()).isEqualTo(tls);
            assertThat(thread[0].getUserCpuPackNs()).isEqualTo(pack);
            System.out.printf("pack-256k bc modelled: user CPU %.1f ms = TLS %.1f ms (%.0f%%) + pack %.1f ms (%.0f%%)%n",
                    r.cpu().userCpuNs() / 1e6, tls / 1e6, 100.0 * tls / r.cpu().userCpuNs(), pack / 1e6, 100.0 * pack / r.cpu().userCpuNs());
        }

        @Test
        @DisplayName("measured charges the thread's CPU time and says it is not deterministic")
        void measuredCpu_labelledNotDeterministic() throws IOException {
            DownloadResult r = run(plan("cpu3", machine, "pack-256k", "jdk").withCpu(CpuSpec.measured()));

            assertThat(r.error()).isNull();
            assertThat(r.cpu().userCpu()).contains("not deterministic");
            assertThat(r.cpu().userCpuNs()).isPositive();
        }
    }

    @Nested
    @DisplayName("while it runs")
    class Progress {
        @Test
        @DisplayName("reports speed every 64 KiB in bytes per simulated second, with KiB/s in the text")
        void progress_every64KiB_bytesPerSimulatedSecond() throws IOException {
            DownloadProgress progress = new DownloadProgress(new IoStats());
            List<ProgressSnapshot> seen = new CopyOnWriteArrayList<>();
            progress.addListener(seen::add);
            DownloadResult r = Downloader.run(SIM.kernel(), plan("prog", machine, "pack-256k", "bc"), progress);

            assertThat(r.error()).isNull();
            assertThat(seen).hasSizeGreaterThanOrEqualTo((int) (r.bytes() / 65536));
            for (int i = 0; i < seen.size() - 1; i++) {
                assertThat(seen.get(i).bytes() % 65536).isLessThan(16 * 1024); // reported at each 64 KiB step
                assertThat(seen.get(i + 1).bytes()).isGreaterThan(seen.get(i).bytes());
                assertThat(seen.get(i + 1).simulatedNs()).isGreaterThanOrEqualTo(seen.get(i).simulatedNs());
            }
            ProgressSnapshot last = seen.get(seen.size() - 1);
            assertThat(last.bytes()).isEqualTo(r.bytes());
            assertThat(last.averageBytesPerSecond()).isCloseTo(r.bytes() * 1e9 / last.simulatedNs(), org.assertj.core.data.Offset.offset(1.0));
            assertThat(last.averageKiBPerSecond()).isCloseTo(last.averageBytesPerSecond() / 1024, org.assertj.core.data.Offset.offset(0.01));
            assertThat(last.text()).contains("KiB/s now", "KiB/s average (simulated time)");
        }
    }
}
