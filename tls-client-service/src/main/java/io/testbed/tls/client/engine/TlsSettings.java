package io.testbed.tls.client.engine;

import java.util.List;

/**
 * What a TLS engine is asked to do for one connection.
 *
 * @param serverName   the host name sent as SNI and checked against the certificate
 * @param verifier     how the server's chain and name are verified (or, labelled, not)
 * @param versions     protocol versions offered ("TLSv1.3", "TLSv1.2"); Akuma: TLSv1.3 only
 * @param cipherSuites IANA cipher suite names offered; Akuma: TLS_AES_128_GCM_SHA256 only
 */
public record TlsSettings(String serverName, ServerVerifier verifier, List<String> versions, List<String> cipherSuites) {

    public static final List<String> AKUMA_VERSIONS = List.of("TLSv1.3");
    public static final List<String> AKUMA_CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256");

    public TlsSettings {
        versions = versions == null || versions.isEmpty() ? AKUMA_VERSIONS : List.copyOf(versions);
        cipherSuites = cipherSuites == null || cipherSuites.isEmpty() ? AKUMA_CIPHER_SUITES : List.copyOf(cipherSuites);
    }
}
