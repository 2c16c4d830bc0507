package io.testbed.tls.client.web;

import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.download.Download;
import io.testbed.tls.client.download.DownloadProgress;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.ProgressSnapshot;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.transport.IoStats;
import io.testbed.tls.client.transport.SizeHistogram;

import java.util.List;

/**
 * {@code GET /api/downloads/{id}}: the contract's fields (docs/ARCHITECTURE.md) plus a few more.
 * While running, the figures are the live ones; {@code pack} appears once the pack is verified.
 */
public record DownloadView(String id, String status, String kernel, String machineId, String repo, String client,
                           PolicySpec policy, String policyLabel, String verify, int readSize, List<String> tlsVersions,
                           List<String> cipherSuites, String protocol, boolean keepAlive, CpuSpec cpu, String userCpu,
                           long userCpuNs, long bytes, long tlsBytes, DownloadResult.Pack pack,
                           long simulatedNs, long wallNs, long handshakeNs, long wouldBlocks, long sleeps, long sleepNs,
                           long reads, double bytesPerRead, long tlsRecords, long syscalls, long connections,
                           SizeHistogram.Snapshot recordSizes, SizeHistogram.Snapshot readSizes,
                           double throughputBytesPerSecond, ProgressSnapshot progress, String tlsProtocol,
                           String cipherSuite, String ref, String commit, List<String> serverProgress, String error,
                           String reason, DownloadResult.FileIo fileIo) {

    static DownloadView of(Download d) {
        DownloadProgress p = d.progress();
        ProgressSnapshot progress = p.latest();
        DownloadResult r = d.result();
        if (r == null) {
            IoStats s = p.stats();
            long sim = s.elapsedNs();
            SizeHistogram.Snapshot reads = s.readSizes();
            return new DownloadView(d.id(), d.status(), d.kernel(), d.machineId(), d.repo(), d.client(), d.policy(),
                    d.policyLabel(), d.verify(), d.readSize(), d.tlsVersions(), d.cipherSuites(), d.protocol(),
                    d.keepAlive(), d.cpu(), null, s.userCpuNs(), p.packBytes(), s.bytesReceived(), null, sim, 0, 0,
                    s.wouldBlocks(), s.sleeps(), s.sleepNs(), s.reads(), reads.mean(), s.tlsRecords(), s.syscalls(),
                    s.connections(), s.recordSizes(), reads, sim > 0 ? p.packBytes() * 1e9 / sim : 0, progress, null,
                    null, null, null, List.of(), null, null, null);
        }
        return new DownloadView(d.id(), r.status(), d.kernel(), d.machineId(), d.repo(), d.client(), d.policy(),
                d.policyLabel(), d.verify(), d.readSize(), d.tlsVersions(), d.cipherSuites(), d.protocol(), d.keepAlive(),
                d.cpu(), r.userCpu(), r.userCpuNs(), r.bytes(), r.tlsBytes(), r.pack(), r.simulatedNs(), r.wallNs(),
                r.handshakeNs(), r.wouldBlocks(), r.sleeps(), r.sleepNs(), r.reads(), r.bytesPerRead(), r.tlsRecords(),
                r.syscalls(), r.connections(), r.recordSizes(), r.readSizes(), r.throughputBytesPerSecond(), progress,
                r.tlsProtocol(), r.cipherSuite(), r.ref(), r.commit(), r.serverProgress(), r.error(), r.reason(),
                r.fileIo());
    }
}
