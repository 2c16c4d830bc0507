/**
 * TLS engines ({@link io.testbed.tls.client.engine.TlsEngine}, registered by name in
 * {@link io.testbed.tls.client.engine.TlsEngines}) that handshake and move records over a
 * {@code SyscallSocket}; {@link io.testbed.tls.client.engine.ServerVerifier} is the one server check
 * all engines use.
 */
package io.testbed.tls.client.engine;
