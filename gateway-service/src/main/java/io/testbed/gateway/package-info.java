/**
 * The gateway: the testbed's REST entry point. {@code web} is the HTTP surface; it calls
 * {@code download}, {@code experiment} and {@code reproduction}, which orchestrate downloads, matrices
 * of runs and the seed's claims across the three downstream services through
 * their clients: {@code kernel} (machine admin over gRPC), {@code tlsclient} (REST) and {@code git}
 * (the repository list over HTTPS); {@code discovery} finds kernel-sim and tls-client replicas by DNS on
 * Kubernetes; {@code store} holds what the stored results share. {@code common}, the ground floor, holds what every
 * layer shares: the {@link io.testbed.gateway.common.Status} of downloads and runs, and the exceptions every client
 * throws ({@link io.testbed.gateway.common.DependencyUnavailableException}: its service cannot be reached, answered
 * 503 naming it). The package root holds only the application and {@link io.testbed.gateway.StartupRecovery}.
 */
package io.testbed.gateway;
