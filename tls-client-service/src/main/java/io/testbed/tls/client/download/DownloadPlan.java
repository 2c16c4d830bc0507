package io.testbed.tls.client.download;

import io.testbed.tls.client.engine.TlsEngine;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.policy.WouldBlockPolicy;

/**
 * Everything one download needs, resolved and validated: where (machine, host, port, repository),
 * with what (TLS engine and settings, would-block policy, read size) and how the pack is received.
 *
 * @param id        the download id; the simulated thread is named {@code download-<id>}
 * @param machineId the simulated machine the download's process runs on
 * @param host      the server name as the machine knows it (and as verified): {@code git.testbed}
 */
public record DownloadPlan(String id, String machineId, String repo, String host, int port, TlsEngine engine,
                           TlsSettings tls, WouldBlockPolicy policy, int readSize, FetchOptions fetch) {
}
