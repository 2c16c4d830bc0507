/**
 * A TCP socket made of syscalls ({@link io.testbed.tls.client.transport.SyscallSocket}) on a user
 * thread that accounts every syscall's kernel times
 * ({@link io.testbed.tls.client.transport.AccountingThread} into
 * {@link io.testbed.tls.client.transport.IoStats}). TLS engines sit on top; would-block policies are
 * called from here.
 */
package io.testbed.tls.client.transport;
