/**
 * The bearer token of issue 16, item 5: {@link io.testbed.web.security.TokenProperties} (where the token comes
 * from, whether the service is bound beyond loopback) and {@link io.testbed.web.security.TokenSecurity} (Spring
 * Security, installed only then: writes need the token, reads and health stay open). A service says which writes
 * stay open with a {@link io.testbed.web.security.TokenSecurity.OpenWrites} bean.
 */
package io.testbed.web.security;
