/**
 * The bearer token of issue 16, item 5: {@link TokenProperties} (where the token comes from, whether the
 * service is bound beyond loopback) and {@link TokenSecurity} (Spring Security, installed only then: writes
 * need the token, reads and health stay open). The same token goes on the gRPC channels to kernel-sim
 * ({@code KernelTargets}).
 */
package io.testbed.tls.client.security;
