/**
 * A TCP socket made of syscalls ({@link io.testbed.tls.client.transport.SyscallSocket}) on a user
 * thread that accounts every syscall's kernel times and declares the client's CPU
 * ({@link io.testbed.tls.client.transport.AccountingThread} into
 * {@link io.testbed.tls.client.transport.IoStats}); the socket follows TLS record headers
 * ({@link io.testbed.tls.client.transport.TlsRecordCounter}) and keeps size histograms
 * ({@link io.testbed.tls.client.transport.SizeHistogram}). TLS engines sit on top; would-block
 * policies are called from here.
 */
package io.testbed.tls.client.transport;
