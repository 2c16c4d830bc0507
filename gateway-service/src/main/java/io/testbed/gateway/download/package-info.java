/**
 * Downloads: one request of the user, carried out across the services. {@link DownloadService}
 * validates a {@link DownloadSpec} against what the downstreams offer (repositories, TLS clients,
 * policies, kernels), creates the machine and starts the download on tls-client (a
 * {@link io.testbed.gateway.run.MachineRun}) and hands it to {@link DownloadFollower}, which follows it to
 * the end, collects the machine's {@code Stats} and deletes the machine it created. Each state is an immutable {@link Download} kept in a
 * {@link DownloadStore} (the database: {@link JdbcDownloadStore}); {@link GatewayMetrics} counts them.
 */
package io.testbed.gateway.download;
