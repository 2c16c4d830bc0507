/**
 * The bearer token of issue 16, item 5: {@link TokenProperties} (where the token comes from, whether the
 * service is bound beyond loopback) and {@link TokenSecurity} (Spring Security, installed only then: writes
 * need the token, reads and health stay open). The gateway sends the same token to tls-client
 * ({@code TlsClient}) and kernel-sim ({@code MachineAdminClient}) whenever it is set.
 */
package io.testbed.gateway.security;
