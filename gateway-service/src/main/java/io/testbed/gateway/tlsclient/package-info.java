/**
 * The REST client to tls-client-service (contract in docs/ARCHITECTURE.md): its capabilities (the
 * TLS clients and would-block policies it has), starting a download on a machine, and reading a
 * download's progress. {@link TlsClient} turns transport failures into
 * {@link io.testbed.gateway.DependencyUnavailableException} and tls-client's 4xx problem details
 * into {@link TlsClientRejectedException}; replies are read leniently so tls-client can add fields.
 */
package io.testbed.gateway.tlsclient;
