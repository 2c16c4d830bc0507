package io.testbed.git.server.pki;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the PKI lives and which names the server certificate must carry.
 *
 * @param dir         directory holding {@code ca.crt}, {@code ca.key}, {@code server.crt}, {@code server.key};
 *                    relative paths resolve against the working directory
 * @param serverNames DNS names for the server certificate's subjectAltName; the first is also its CN.
 *                    {@code git.testbed} is the name simulated machines connect to, {@code git-http-server}
 *                    the compose service name
 * @param serverIps   IP addresses for the server certificate's subjectAltName
 */
@ConfigurationProperties("testbed.pki")
public record PkiProperties(
        @DefaultValue("data/pki") Path dir,
        @DefaultValue({"git.testbed", "localhost", "git-http-server"}) List<String> serverNames,
        @DefaultValue("127.0.0.1") List<String> serverIps) {

    public PkiProperties {
        if (serverNames == null || serverNames.isEmpty()) {
            throw new IllegalArgumentException("testbed.pki.server-names must list at least one DNS name");
        }
        serverNames = List.copyOf(serverNames);
        serverIps = serverIps == null ? List.of() : List.copyOf(serverIps);
    }
}
