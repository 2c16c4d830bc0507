/**
 * The git server's own meters, all registered by {@link io.testbed.git.server.metrics.GitServerMetrics}
 * (one {@code MeterBinder} for the subsystem); the HTTP layer reports to it, the repository registry is
 * read by its gauges. Spring Boot adds {@code http.server.requests} and the JVM meters on its own.
 */
package io.testbed.git.server.metrics;
