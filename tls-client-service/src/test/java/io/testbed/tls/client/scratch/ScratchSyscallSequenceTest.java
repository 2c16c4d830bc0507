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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scratch client's syscalls, in order, against an expectation written from Akuma's code
 * (src/test/resources/scratch/clone-pack-small.expect), and the same trace and simulated time for the
 * same seed. The small repository is the test server's pack-small (port 444, a certificate from
 * another CA, so verify none: Akuma's NoVerify).
 */
@DisplayName("The scratch client's syscall sequence")
class ScratchSyscallSequenceTest {
    static final SimulatedMachines SIM = SimulatedMachines.get();

    record Run(DownloadResult result, List<String> trace) {
    }

    static Run cloneSmall(String id) {
        // the server's answers must settle in real time before simulated time moves on, or the split of its
        // bytes into segments (and so the trace) depends on the host's load (docs/MODEL.md, "Remote hosts")
        String machine = SIM.create(SimulatedMachines.AKUMA, Map.of("upstream.quiet_ms", "1000"));
        try {
            DownloadPlan plan = new DownloadPlan(id, machine, "pack-small", "git.testbed", SimulatedMachines.FOREIGN_CA_PORT,
                    TlsEngines.get("bc"), new TlsSettings("git.testbed", ServerVerifier.none(), null, null),
                    WouldBlockPolicies.create(PolicySpec.of("akuma-tls")), 4096, FetchOptions.defaults("scratch/1.0"),
                    CpuSpec.modelled(), false, true);
            List<String> trace = new ArrayList<>();
            DownloadResult r = ScratchDownloader.run(SIM.kernel(), plan, new DownloadProgress(new IoStats()), trace::add);
            return new Run(r, trace);
        } finally {
            SIM.delete(machine);
        }
    }

    @Test
    @DisplayName("matches Akuma's code order, writes the pack once per TLS read, and repeats exactly for the same seed")
    void clonePackSmall_matchesExpectation_deterministic() throws IOException {
        Run a = cloneSmall("seq1");
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "scratch-trace-pack-small.txt"), a.trace());

        assertThat(a.result().error()).isNull();
        assertThat(a.result().pack().verified()).isTrue();
        assertThat(a.result().pack().objects()).isEqualTo(6);
        assertThat(a.result().verify()).isEqualTo("none");
        String mismatch = TraceExpectation.load("/scratch/clone-pack-small.expect").mismatch(a.trace());
        assertThat(mismatch).as("see target/scratch-trace-pack-small.txt").isNull();
        assertPackWrittenOncePerTlsRead(a);

        Run b = cloneSmall("seq1");
        assertThat(b.trace()).isEqualTo(a.trace());
        assertThat(b.result().simulatedNs()).isEqualTo(a.result().simulatedNs());
        assertThat(b.result().fileIo()).isEqualTo(a.result().fileIo());
    }

    /** Between tmp.pack's open and close: writes sum to the pack bytes, and at most one write follows each TLS read. */
    static void assertPackWrittenOncePerTlsRead(Run run) {
        List<String> t = run.trace();
        int open = t.indexOf("openat pack-small/.git/objects/pack/tmp.pack O_WRONLY|O_CREAT|O_TRUNC");
        int conn = t.indexOf("# connection 2: POST git-upload-pack");
        int close = t.subList(conn, t.size()).indexOf("close") + conn;
        long sum = 0;
        boolean readSinceWrite = false;
        int writes = 0;
        for (String line : t.subList(open + 1, close)) {
            if (line.startsWith("# tls read ")) {
                readSinceWrite = true;
            } else if (line.startsWith("write ")) {
                assertThat(readSinceWrite).as("a second write for one TLS read").isTrue();
                readSinceWrite = false;
                sum += Long.parseLong(line.substring(6));
                writes++;
            }
        }
        assertThat(sum).isEqualTo(run.result().bytes());
        assertThat(writes).isGreaterThan(1);
    }
}
