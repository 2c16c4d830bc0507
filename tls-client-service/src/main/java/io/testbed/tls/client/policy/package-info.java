/**
 * What a client does on EAGAIN: one small interface,
 * {@link io.testbed.tls.client.policy.WouldBlockPolicy}, implementations registered by name in
 * {@link io.testbed.tls.client.policy.WouldBlockPolicies} and created from a
 * {@link io.testbed.tls.client.policy.PolicySpec}. Every wait is a syscall.
 */
package io.testbed.tls.client.policy;
