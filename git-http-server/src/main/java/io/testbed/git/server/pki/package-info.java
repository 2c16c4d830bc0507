/**
 * The testbed PKI: one CA and one server certificate, generated on first start and reused.
 * <p>
 * {@link io.testbed.git.server.pki.TestbedPki} is plain Java (Bouncy Castle, no Spring): it loads the
 * PEM files in {@code testbed.pki.dir}, checks them against {@link io.testbed.git.server.pki.PkiProperties},
 * and regenerates what is missing or stale. {@link io.testbed.git.server.pki.PemFiles} reads and
 * writes the PEM files (private keys owner-only from creation).
 * {@link io.testbed.git.server.pki.HttpsConfiguration} runs the PKI before the web server is built
 * and points the HTTPS connector at the result.
 */
package io.testbed.git.server.pki;
