/**
 * The bearer token of issue 16, item 5: {@link TokenProperties} (where the token comes from, whether the
 * service is bound beyond loopback) and {@link TokenSecurity} (Spring Security, installed only then: writes,
 * above all {@code POST /api/repos}, need the token; reads, git fetches and health stay open).
 */
package io.testbed.git.server.security;
