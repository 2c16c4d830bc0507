package io.testbed.tls.client.scratch;

import io.testbed.tls.client.engine.TlsConnection;

import java.io.IOException;

/**
 * Opens one TCP+TLS connection to the git server for scratch: socket and connect, then
 * {@code afterConnect} (scratch allocates its two 16 KiB record buffers there), then the TLS
 * handshake. The download supplies it (engine, settings, would-block policy, figures).
 */
@FunctionalInterface
public interface Connector {
    TlsConnection open(Runnable afterConnect) throws IOException;
}
