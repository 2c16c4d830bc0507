package io.testbed.tls.client.engine;

import io.testbed.tls.client.transport.SyscallSocket;

import java.io.IOException;

/**
 * A TLS implementation driven over a {@link SyscallSocket}: it performs the handshake (verifying the
 * server as {@link TlsSettings#verifier()} says) and returns a connection carrying application
 * data. Every byte it sends or receives goes through the socket's syscalls; it never touches the
 * network or a clock of its own. Engines register by name in {@link TlsEngines}.
 */
public interface TlsEngine {

    /** The registered name ("bc", "jdk", "bcjsse", "boringssl"). */
    String name();

    /**
     * Checks versions and suites before any connection.
     *
     * @throws IllegalArgumentException saying what is not supported and what is
     */
    default void validate(TlsSettings settings) {
    }

    /** Handshakes over a connected socket; on failure the socket is left for the caller to close. */
    TlsConnection handshake(SyscallSocket socket, TlsSettings settings) throws IOException;
}
