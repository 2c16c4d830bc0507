package io.testbed.tls.client.scratch;

import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.download.DownloadPlan;
import io.testbed.tls.client.download.DownloadProgress;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.ScratchDownloader;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.transport.IoStats;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client scratch on a simulated Akuma machine (kernel-sim in-process, virtual clock, the default
 * profile) against the real git server: the clone lands in the machine's file system.
 */
@DisplayName("The scratch client on a simulated Akuma machine")
class ScratchOnSimulatedMachineTest {
    static final SimulatedMachines SIM = SimulatedMachines.get();
    String machine;

    @BeforeEach
    void createMachine() {
        // the profile as is; the harness waits for the real server's answers to settle so figures repeat
        machine = SIM.create(SimulatedMachines.AKUMA, Map.of("upstream.quiet_ms", "1000"));
    }

    @AfterEach
    void deleteMachine() {
        SIM.delete(machine);
    }

    /** What a plain {@code {"repo":..., "client":"scratch"}} resolves to: akuma-tls, modelled CPU, CA check. */
    static DownloadPlan plan(String id, String machine, String repo) throws IOException {
        return new DownloadPlan(id, machine, repo, "git.testbed", 443, TlsEngines.get("bc"),
                new TlsSettings("git.testbed", ServerVerifier.fromCaFile(SIM.git().caFile()), null, null),
                WouldBlockPolicies.create(PolicySpec.of("akuma-tls")), 4096, FetchOptions.defaults("scratch/1.0"),
                CpuSpec.modelled(), false, true);
    }

    static DownloadResult run(DownloadPlan plan, List<String> trace) {
        return ScratchDownloader.run(SIM.kernel(), plan, new DownloadProgress(new IoStats()), trace == null ? null : trace::add);
    }

    @Test
    @DisplayName("clones pack-256k: the pack verifies, every checked-out file (read back through the syscalls) is the server's")
    void clone_pack256k_verifiedAndCheckedOut() throws IOException {
        List<String> trace = new ArrayList<>();
        DownloadResult r = run(plan("s1", machine, "pack-256k"), trace);

        assertThat(r.error()).isNull();
        assertThat(r.pack().verified()).isTrue();
        assertThat(r.pack().objects()).isEqualTo(SIM.git().objects("pack-256k"));
        assertThat(r.io().connections()).isEqualTo(2);
        assertThat(r.tls().tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(r.tls().cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        DownloadResult.FileIo f = r.fileIo();
        assertThat(f.readBackMatches()).isTrue();
        assertThat(f.fileBytesRead()).isGreaterThanOrEqualTo(r.bytes());
        assertThat(f.fileBytesWritten()).isGreaterThan(r.bytes());
        assertThat(f.objectsWritten()).isEqualTo(r.pack().objects());
        assertThat(f.fsNs()).isPositive();
        assertThat(f.downloadNs() + f.packReadNs() + f.unpackNs() + f.checkoutNs()).isEqualTo(r.simulatedNs());
        Map<String, Long> c = SIM.counters(machine); // before this test reads the files back
        assertThat(c.get("fs_bytes_written")).isEqualTo(f.fileBytesWritten());
        assertThat(c.get("fs_bytes_read")).isEqualTo(f.fileBytesRead());

        int files = 0;
        try (Repository server = new FileRepositoryBuilder().setGitDir(SIM.git().repoDir("pack-256k").toFile()).setBare().build();
             RevWalk walk = new RevWalk(server); TreeWalk tree = new TreeWalk(server)) {
            tree.addTree(walk.parseCommit(ObjectId.fromString(r.git().commit())).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                byte[] expected = server.open(tree.getObjectId(0)).getBytes();
                assertThat(MachineFiles.read(SIM.kernel(), machine, "/pack-256k/" + tree.getPathString()))
                        .as(tree.getPathString()).isEqualTo(expected);
                files++;
            }
        }
        assertThat(f.filesCheckedOut()).isEqualTo(files);
        System.out.printf("scratch pack-256k: simulated %.3f s (download %.3f, read-back %.3f, unpack %.3f, checkout %.3f),"
                        + " file syscalls %d, fs %.3f s, written %d B, read %d B, console %d writes / %d B, mmaps %d (%d B),"
                        + " user cpu %.1f ms; machine %s%n",
                r.simulatedNs() / 1e9, f.downloadNs() / 1e9, f.packReadNs() / 1e9, f.unpackNs() / 1e9, f.checkoutNs() / 1e9,
                f.fileSyscalls(), f.fsNs() / 1e9, f.fileBytesWritten(), f.fileBytesRead(), f.consoleWrites(), f.consoleBytes(),
                f.mmaps(), f.mmapBytes(), r.cpu().userCpuNs() / 1e6, fsCounters(c));
        System.out.println("trace lines: " + trace.size());
    }

    @Test
    @DisplayName("scratch-pack stops when tmp.pack is closed: the same download phase as a whole clone, the pack as received verified")
    void packOnly_stopsAfterTheDownload_samePhaseAsAClone() throws IOException {
        DownloadResult clone = run(plan("s3", machine, "pack-256k"), null);
        String second = SIM.create(SimulatedMachines.AKUMA, Map.of("upstream.quiet_ms", "1000"));
        try {
            DownloadResult pack = run(plan("s4", second, "pack-256k").withScratchPackOnly(), null);

            assertThat(pack.error()).isNull();
            assertThat(pack.pack().verified()).isTrue();
            assertThat(pack.pack().objects()).isEqualTo(SIM.git().objects("pack-256k"));
            assertThat(pack.pack().sha1()).isEqualTo(clone.pack().sha1());
            assertThat(pack.bytes()).isEqualTo(clone.bytes());
            DownloadResult.FileIo f = pack.fileIo();
            // the run ends at the download phase: nothing read back, unpacked or checked out
            assertThat(f.downloadNs()).isEqualTo(pack.simulatedNs());
            assertThat(f.packReadNs() + f.unpackNs() + f.checkoutNs()).isZero();
            assertThat(f.objectsWritten()).isZero();
            assertThat(f.filesCheckedOut()).isZero();
            assertThat(f.fileBytesWritten()).isGreaterThanOrEqualTo(pack.bytes()).isLessThan(clone.fileIo().fileBytesWritten());
            // the same program up to tmp.pack's close, on a machine of the same profile and seed
            assertThat(f.downloadNs()).isEqualTo(clone.fileIo().downloadNs());
            assertThat(clone.simulatedNs()).isGreaterThan(pack.simulatedNs());
        } finally {
            SIM.delete(second);
        }
    }

    @Test
    @DisplayName("checks the server against the testbed CA by default: another CA's certificate fails with reason certificate")
    void clone_foreignCa_certificateFailure() throws IOException {
        DownloadPlan p = plan("s2", machine, "pack-small");
        DownloadPlan foreign = new DownloadPlan(p.id(), p.machineId(), p.repo(), p.host(), SimulatedMachines.FOREIGN_CA_PORT,
                p.engine(), p.tls(), p.policy(), p.readSize(), p.fetch(), p.cpu(), false, true);
        DownloadResult r = run(foreign, null);

        assertThat(r.status()).isEqualTo("failed");
        assertThat(r.reason()).isEqualTo("certificate");
        assertThat(r.verify()).isEqualTo("ca");
        assertThat(r.fileIo().fileSyscalls()).isZero(); // it failed at ref discovery, before the first file
        assertThat(r.fileIo().mmaps()).isEqualTo(2);   // the first connection's record buffers
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"pack-256k", "pack-1m", "pack-4m"})
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "testbed.benchmark", matches = "true")
    @DisplayName("figures per repository (benchmark, -Dtestbed.benchmark=true)")
    void figures_perRepository(String repo) throws IOException {
        DownloadResult r = run(plan("b-" + repo, machine, repo), null);
        Map<String, Long> c = SIM.counters(machine);
        DownloadResult.FileIo f = r.fileIo();
        System.out.printf("scratch %s: %s%s, simulated %.3f s (download %.3f, read-back %.3f, unpack %.3f, checkout %.3f),"
                        + " pack %d B, file syscalls %d, fs %.3f s, sectors read %d written %d, mmap %d B, user cpu %.1f ms%n",
                repo, r.status(), r.error() == null ? "" : " (" + r.reason() + ": " + r.error() + ")", r.simulatedNs() / 1e9,
                f.downloadNs() / 1e9, f.packReadNs() / 1e9, f.unpackNs() / 1e9, f.checkoutNs() / 1e9, r.bytes(),
                f.fileSyscalls(), f.fsNs() / 1e9, c.get("fs_sectors_read"), c.get("fs_sectors_written"), f.mmapBytes(),
                r.cpu().userCpuNs() / 1e6);
        assertThat(f.fileSyscalls()).isPositive();
    }

    static Map<String, Long> fsCounters(Map<String, Long> c) {
        Map<String, Long> fs = new java.util.TreeMap<>();
        c.forEach((k, v) -> {
            if (k.startsWith("fs_") || k.startsWith("console") || k.startsWith("mmap")) {
                fs.put(k, v);
            }
        });
        return fs;
    }
}
