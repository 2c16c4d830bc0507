/**
 * The tls-client service: real TLS clients fetching git packs through a kernel's syscall API.
 * A download flows {@code web -> download -> git -> http -> engine -> transport -> kernel}; the
 * {@code policy} package decides how the transport waits on EAGAIN, {@code metrics} counts what
 * happened, {@code config} holds the settings.
 */
package io.testbed.tls.client;
