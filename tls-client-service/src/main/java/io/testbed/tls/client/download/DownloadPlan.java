package io.testbed.tls.client.download;

import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.engine.TlsEngine;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.WouldBlockPolicy;

/**
 * Everything one download needs, resolved and validated: where (machine, host, port, repository),
 * with what (TLS engine and settings, would-block policy, read size, userspace CPU accounting) and
 * how the pack is fetched (git protocol, keep-alive) and received.
 *
 * @param id        the download id; the simulated thread is named {@code download-<id>}
 * @param machineId the simulated machine the download's process runs on
 * @param host      the server name as the machine knows it (and as verified): {@code git.testbed}
 * @param keepAlive one TLS connection for all requests instead of one per request (Akuma's scratch)
 * @param scratch   run Akuma's scratch client ({@link ScratchDownloader}: clone into the machine's file
 *                  system) instead of the fetch into JGit; {@code fetch} and {@code keepAlive} then do not apply
 * @param packOnly  scratch stops when the pack is downloaded (client {@code scratch-pack})
 */
public record DownloadPlan(String id, String machineId, String repo, String host, int port, TlsEngine engine,
                           TlsSettings tls, WouldBlockPolicy policy, int readSize, FetchOptions fetch, CpuSpec cpu,
                           boolean keepAlive, boolean scratch, boolean packOnly) {

    public DownloadPlan {
        cpu = cpu == null ? CpuSpec.zero() : cpu;
    }

    public DownloadPlan(String id, String machineId, String repo, String host, int port, TlsEngine engine,
                        TlsSettings tls, WouldBlockPolicy policy, int readSize, FetchOptions fetch, CpuSpec cpu,
                        boolean keepAlive, boolean scratch) {
        this(id, machineId, repo, host, port, engine, tls, policy, readSize, fetch, cpu, keepAlive, scratch, false);
    }

    public DownloadPlan(String id, String machineId, String repo, String host, int port, TlsEngine engine,
                        TlsSettings tls, WouldBlockPolicy policy, int readSize, FetchOptions fetch, CpuSpec cpu,
                        boolean keepAlive) {
        this(id, machineId, repo, host, port, engine, tls, policy, readSize, fetch, cpu, keepAlive, false, false);
    }

    public DownloadPlan withScratch(boolean s) {
        return new DownloadPlan(id, machineId, repo, host, port, engine, tls, policy, readSize, fetch, cpu, keepAlive, s, packOnly);
    }

    /** Scratch, stopping when the pack is downloaded. */
    public DownloadPlan withScratchPackOnly() {
        return new DownloadPlan(id, machineId, repo, host, port, engine, tls, policy, readSize, fetch, cpu, keepAlive, true, true);
    }

    /** Akuma's scratch: no CPU accounting, a new connection per request. */
    public DownloadPlan(String id, String machineId, String repo, String host, int port, TlsEngine engine,
                        TlsSettings tls, WouldBlockPolicy policy, int readSize, FetchOptions fetch) {
        this(id, machineId, repo, host, port, engine, tls, policy, readSize, fetch, CpuSpec.zero(), false);
    }

    public DownloadPlan withCpu(CpuSpec c) {
        return new DownloadPlan(id, machineId, repo, host, port, engine, tls, policy, readSize, fetch, c, keepAlive, scratch, packOnly);
    }

    public DownloadPlan withKeepAlive(boolean k) {
        return new DownloadPlan(id, machineId, repo, host, port, engine, tls, policy, readSize, fetch, cpu, k, scratch, packOnly);
    }

    public DownloadPlan withFetch(FetchOptions f) {
        return new DownloadPlan(id, machineId, repo, host, port, engine, tls, policy, readSize, f, cpu, keepAlive, scratch, packOnly);
    }
}
