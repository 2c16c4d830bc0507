/**
 * The REST client to tls-client-service (contract in docs/ARCHITECTURE.md): its capabilities (the
 * TLS clients and would-block policies it has), starting a download on a machine, and reading a
 * download's progress. {@link TlsClient} turns transport failures into
 * {@link io.testbed.gateway.common.DependencyUnavailableException} and tls-client's 4xx problem details
 * into {@link TlsClientRejectedException}; replies are read leniently so tls-client can add fields. With
 * {@code testbed.tls-client.discovery-dns} it spreads downloads over the replicas a headless Service resolves to
 * and follows each on its own replica (the id it hands out names the replica).
 */
package io.testbed.gateway.tlsclient;
