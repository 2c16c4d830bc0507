package io.testbed.tls.client.policy;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.UserThread;
import io.testbed.tls.client.download.DownloadPlan;
import io.testbed.tls.client.download.DownloadProgress;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.Downloader;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.kernel.HostKernel;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.AccountingThread;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every would-block policy must do; one subclass per implementation. The download runs
 * through a simulated Akuma machine with the overrides under which the policy means something
 * ({@link #overrides()}), against the real git server.
 */
abstract class WouldBlockPolicyContract {

    /** A policy with its default parameters. */
    abstract WouldBlockPolicy policy();

    /** The policy used for the download (defaults unless a subclass says otherwise). */
    PolicySpec downloadSpec() {
        return PolicySpec.of(policy().name());
    }

    /** Machine overrides under which the policy is meaningful (poll: syscall.poll=enabled, ...). */
    Map<String, String> overrides() {
        return Map.of();
    }

    static DownloadResult download(String machine, PolicySpec policy, String repo) throws IOException {
        SimulatedMachines sim = SimulatedMachines.get();
        DownloadPlan plan = new DownloadPlan("policy-" + policy.type(), machine, repo, "git.testbed", 443,
                TlsEngines.get("bc"), new TlsSettings("git.testbed", ServerVerifier.fromCaFile(sim.git().caFile()), null, null),
                WouldBlockPolicies.create(policy), 4096, FetchOptions.defaults("testbed-test/1"));
        return Downloader.run(sim.kernel(), plan, new DownloadProgress(new IoStats()));
    }

    @Nested
    @DisplayName("when registered")
    class Registration {
        @Test
        @DisplayName("is created by its name")
        void createdByName() {
            WouldBlockPolicy p = policy();
            assertThat(WouldBlockPolicies.names()).contains(p.name());
            assertThat(WouldBlockPolicies.create(PolicySpec.of(p.name())).name()).isEqualTo(p.name());
        }

        @Test
        @DisplayName("has an idle bound, a label, and reports its effective parameters")
        void idleBoundAndLabel() {
            WouldBlockPolicy p = policy();
            assertThat(p.idleTimeoutReads() != WouldBlockPolicy.UNBOUNDED_READS || p.idleTimeoutNs() > 0).isTrue();
            assertThat(p.label()).isNotBlank();
            assertThat(p.effective().type()).isEqualTo(p.name());
            assertThat(WouldBlockPolicies.create(p.effective()).label()).isEqualTo(p.label());
        }
    }

    @Nested
    @DisplayName("on would-block")
    class OnWouldBlock {
        @Test
        @DisplayName("spends no time outside syscalls on the thread it is given")
        void waitsThroughSyscalls() throws IOException {
            IoStats stats = new IoStats();
            try (UserThread raw = new HostKernel(Map.of()).attach("host", "policy-test")) {
                AccountingThread thread = new AccountingThread(raw, stats);
                int fd = (int) thread.socket(Errno.AF_INET, Errno.SOCK_STREAM, 0).getRet();
                long before = System.nanoTime();
                long syscallsBefore = stats.syscalls();
                long elapsedBefore = stats.elapsedNs();
                policy().onWouldBlock(thread, fd, Errno.POLLIN, 1);
                long wall = System.nanoTime() - before;
                // whatever real time passed, it passed inside syscalls (nanosleep, sched_yield, poll)
                long inSyscalls = stats.syscalls() > syscallsBefore ? stats.elapsedNs() - elapsedBefore : 0;
                assertThat(wall - inSyscalls).isLessThan(5_000_000L);
            }
        }
    }

    @Nested
    @DisplayName("on a simulated Akuma machine where it is meaningful")
    class Simulated {
        @Test
        @DisplayName("downloads pack-256k to a verified pack")
        void download_pack256k_verified() throws IOException {
            SimulatedMachines sim = SimulatedMachines.get();
            String machine = sim.create(SimulatedMachines.AKUMA, overrides());
            try {
                DownloadResult r = download(machine, downloadSpec(), "pack-256k");
                assertThat(r.error()).isNull();
                assertThat(r.pack().verified()).isTrue();
                assertThat(r.pack().objects()).isEqualTo(sim.git().objects("pack-256k"));
                System.out.printf("policy %s %s: simulated %.3f s, would-blocks %d, sleeps %d (%.1f ms), reads %d, syscalls %d, wall %.2f s%n",
                        WouldBlockPolicies.create(downloadSpec()).label(), overrides(), r.simulatedNs() / 1e9, r.waits().wouldBlocks(),
                        r.waits().sleeps(), r.waits().sleepNs() / 1e6, r.io().reads(), r.io().syscalls(), r.timing().wallNs() / 1e9);
                checkFigures(r);
            } finally {
                sim.delete(machine);
            }
        }
    }

    /** Policy-specific expectations on a successful download's figures. */
    void checkFigures(DownloadResult r) {
    }
}
