/**
 * Micrometer metrics of the downloads, registered through one {@code MeterBinder}
 * ({@link io.testbed.tls.client.metrics.TlsClientMetrics}); every name, unit and tag is listed in the
 * module README.
 */
package io.testbed.tls.client.metrics;
