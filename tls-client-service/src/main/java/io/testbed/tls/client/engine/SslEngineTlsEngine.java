package io.testbed.tls.client.engine;

import io.testbed.tls.client.transport.SyscallSocket;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The common part of the engines built on a JSSE {@link SSLEngine}: client mode, the versions and
 * suites of the {@link TlsSettings}, SNI, endpoint identification {@code HTTPS} when verifying, and
 * the wrap/unwrap loop of {@link SslEngineConnection}. A subclass only says how its engine is made.
 * Every connection gets a fresh context, so nothing is resumed (Akuma does a full handshake each time).
 */
abstract class SslEngineTlsEngine implements TlsEngine {
    static final Set<String> VERSIONS = Set.of("TLSv1.3", "TLSv1.2");

    /** The engine plus what to free when the connection closes. */
    record Made(SSLEngine engine, Runnable release) {
    }

    /** A client-mode engine for the settings' server name with the trust of {@link JsseTrust}. */
    abstract Made newEngine(TlsSettings settings) throws IOException;

    /** Cipher suite names this engine can offer (for validation). */
    abstract List<String> supportedCipherSuites();

    @Override
    public void validate(TlsSettings settings) {
        for (String v : settings.versions()) {
            if (!VERSIONS.contains(v)) {
                throw new IllegalArgumentException("unsupported TLS version '" + v + "'; allowed: [TLSv1.3, TLSv1.2]");
            }
        }
        List<String> supported = supportedCipherSuites();
        for (String s : settings.cipherSuites()) {
            if (!supported.contains(s)) {
                throw new IllegalArgumentException("unknown cipher suite '" + s + "' for client " + name()
                        + " (IANA names, e.g. TLS_AES_128_GCM_SHA256)");
            }
        }
    }

    @Override
    public TlsConnection handshake(SyscallSocket socket, TlsSettings settings) throws IOException {
        validate(settings);
        Made made = newEngine(settings);
        SSLEngine engine = made.engine();
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(settings.versions().toArray(new String[0]));
        params.setCipherSuites(settings.cipherSuites().toArray(new String[0]));
        String host = settings.serverName();
        if (host != null && !isIpLiteral(host)) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        params.setEndpointIdentificationAlgorithm(settings.verifier().verifies() ? "HTTPS" : null);
        engine.setSSLParameters(params);
        SslEngineConnection connection = new SslEngineConnection(engine, socket, made.release());
        try {
            connection.handshake();
        } catch (IOException | RuntimeException e) {
            made.release().run();
            throw e;
        }
        return connection;
    }

    static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    static List<String> list(String[] names) {
        return new ArrayList<>(Arrays.asList(names));
    }
}
