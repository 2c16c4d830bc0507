package io.testbed.tls.client.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.download.Download;
import io.testbed.tls.client.download.DownloadProgress;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.ProgressSnapshot;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.transport.IoStats;

import java.util.List;

/**
 * {@code GET /api/downloads/{id}}: the contract's fields (docs/ARCHITECTURE.md) plus a few more, as
 * one flat object (the groups are unwrapped; {@code DownloadViewJsonTest} pins the JSON). While
 * running, the figures are the live ones; {@code pack} appears once the pack is verified.
 */
public record DownloadView(String id, String status, @JsonUnwrapped Asked asked,
                           @JsonUnwrapped DownloadResult.CpuUse cpuUse, @JsonUnwrapped DownloadResult.Io io,
                           DownloadResult.Pack pack, @JsonUnwrapped DownloadResult.Timing timing,
                           @JsonUnwrapped DownloadResult.Waits waits, double bytesPerRead, ProgressSnapshot progress,
                           @JsonUnwrapped DownloadResult.Tls tls, @JsonUnwrapped DownloadResult.Git git, String error,
                           String reason, DownloadResult.FileIo fileIo) {

    /** The request as the service normalised it. */
    public record Asked(String kernel, String machineId, String repo, String client, PolicySpec policy,
                        String policyLabel, String verify, int readSize, List<String> tlsVersions,
                        List<String> cipherSuites, String protocol, boolean keepAlive, CpuSpec cpu) {
        static Asked of(Download d) {
            return new Asked(d.kernel(), d.machineId(), d.repo(), d.client(), d.policy(), d.policyLabel(), d.verify(),
                    d.readSize(), d.tlsVersions(), d.cipherSuites(), d.protocol(), d.keepAlive(), d.cpu());
        }
    }

    static DownloadView of(Download d) {
        DownloadProgress p = d.progress();
        DownloadResult r = d.result();
        return r == null ? running(d, p) : finished(d, r, p.latest());
    }

    private static DownloadView running(Download d, DownloadProgress p) {
        IoStats s = p.stats();
        DownloadResult.Io io = DownloadResult.Io.of(s, p.packBytes());
        return new DownloadView(d.id(), d.status(), Asked.of(d), new DownloadResult.CpuUse(null, s.userCpuNs()), io,
                null, DownloadResult.Timing.of(s, p.packBytes(), 0, 0), DownloadResult.Waits.of(s), io.bytesPerRead(),
                p.latest(), DownloadResult.Tls.NONE, DownloadResult.Git.NONE, null, null, null);
    }

    private static DownloadView finished(Download d, DownloadResult r, ProgressSnapshot progress) {
        return new DownloadView(d.id(), r.status(), Asked.of(d), r.cpu(), r.io(), r.pack(), r.timing(), r.waits(),
                r.io().bytesPerRead(), progress, r.tls(), r.git(), r.error(), r.reason(), r.fileIo());
    }
}
