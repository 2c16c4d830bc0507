package io.testbed.tls.client.http;

import io.testbed.tls.client.engine.TlsConnection;

import java.io.IOException;

/** Opens a new TLS connection to the server (socket, connect, handshake) for one HTTP exchange. */
@FunctionalInterface
public interface ConnectionFactory {
    TlsConnection open() throws IOException;
}
