/**
 * The gateway: the testbed's REST entry point. {@code web} is the HTTP surface; it calls
 * {@code download}, {@code experiment} and {@code reproduction}, which orchestrate downloads, matrices
 * of runs and the seed's claims across the three downstream services through
 * their clients: {@code kernel} (machine admin over gRPC), {@code tlsclient} (REST) and {@code git}
 * (the repository list over HTTPS); {@code discovery} finds kernel-sim and tls-client replicas by DNS on
 * Kubernetes; {@code store} holds what the stored results share. {@link io.testbed.gateway.DependencyUnavailableException} is
 * what every client throws when its service cannot be reached, so the web layer can answer 503
 * naming it.
 */
package io.testbed.gateway;
