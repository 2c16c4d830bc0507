package io.testbed.gateway.download;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.kernel.KernelStats;
import io.testbed.gateway.tlsclient.TlsDownload;

import java.time.Instant;

/**
 * One download's state, replaced as a whole at every change.
 *
 * @param id             the gateway's id
 * @param status         running until tls-client reports an end (or the gateway gives up)
 * @param spec           what was asked
 * @param machineId      the machine it runs on
 * @param machineCreated whether the gateway created that machine (and so deletes it at the end)
 * @param tlsClientId    tls-client's id for it
 * @param startedAt      when the gateway accepted it
 * @param finishedAt     when the gateway saw it end, null while running
 * @param progress       tls-client's latest report, null before the first poll
 * @param kernel         the machine's stats at the end, null while running or if they could not be read
 * @param error          why it failed, null otherwise
 */
public record Download(String id, Status status, DownloadSpec spec, String machineId, boolean machineCreated,
                       String tlsClientId, Instant startedAt, Instant finishedAt, TlsDownload progress,
                       KernelStats kernel, String error) {

    public Download withProgress(TlsDownload latest) {
        return new Download(id, status, spec, machineId, machineCreated, tlsClientId, startedAt, finishedAt, latest, kernel, error);
    }

    public Download finished(Status outcome, Instant at, KernelStats stats, String why) {
        return new Download(id, outcome, spec, machineId, machineCreated, tlsClientId, startedAt, at, progress, stats, why);
    }
}
