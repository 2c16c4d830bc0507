/**
 * Finding replicas by DNS (issue 20): {@link io.testbed.gateway.discovery.AddressResolver} turns a headless
 * Service's name into the {@code address:port} of each ready pod. The kernel directory
 * ({@link io.testbed.gateway.kernel.KernelDirectory}) uses it for kernel-sim replicas, the tls-client client
 * ({@link io.testbed.gateway.tlsclient.TlsClient}) for tls-client replicas; both are off unless their
 * {@code discovery} setting names a DNS name, and the static settings stay the default.
 */
package io.testbed.gateway.discovery;
