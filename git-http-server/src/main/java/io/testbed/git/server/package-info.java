/**
 * The testbed's git server: JGit smart HTTP over HTTPS serving repositories generated
 * deterministically from (name, size, seed), plus the testbed PKI that every other service trusts.
 * <p>
 * {@code pki} creates and reuses the CA and server certificate and wires them into the HTTPS
 * connector; {@code repo} generates, validates and keeps the repositories; {@code http} exposes
 * them to git clients; {@code api} is the JSON admin view of {@code repo}; {@code metrics} counts
 * what {@code http} serves.
 */
package io.testbed.git.server;
