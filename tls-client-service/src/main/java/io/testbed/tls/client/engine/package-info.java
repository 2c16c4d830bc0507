/**
 * TLS engines ({@link io.testbed.tls.client.engine.TlsEngine}, registered by name in
 * {@link io.testbed.tls.client.engine.TlsEngines}) that handshake and move records over a
 * {@code SyscallSocket}: {@code bc} drives Bouncy Castle's protocol object directly; {@code jdk},
 * {@code bcjsse} and {@code boringssl} each make an {@code SSLEngine}
 * ({@link io.testbed.tls.client.engine.SslEngineTlsEngine}) driven by one wrap/unwrap loop
 * ({@link io.testbed.tls.client.engine.SslEngineConnection}) and trust what
 * {@link io.testbed.tls.client.engine.JsseTrust} builds from the testbed CA.
 * {@link io.testbed.tls.client.engine.ServerVerifier} holds the CA and the one wording of a refusal.
 */
package io.testbed.tls.client.engine;
