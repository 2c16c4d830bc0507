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
 * @param publicDir   where a copy of {@code ca.crt} alone is kept for the services that only trust the CA
 *                    (compose shares this directory, not {@code dir}, so the private keys stay with this
 *                    service); unset: no copy. Must not be {@code dir} itself
 */
@ConfigurationProperties("testbed.pki")
public record PkiProperties(
        @DefaultValue("data/pki") Path dir,
        @DefaultValue({"git.testbed", "localhost", "git-http-server"}) List<String> serverNames,
        @DefaultValue("127.0.0.1") List<String> serverIps,
        Path publicDir) {

    public PkiProperties {
        if (serverNames == null || serverNames.isEmpty()) {
            throw new IllegalArgumentException("testbed.pki.server-names must list at least one DNS name");
        }
        serverNames = List.copyOf(serverNames);
        serverIps = serverIps == null ? List.of() : List.copyOf(serverIps);
        if (publicDir != null && dir != null
                && publicDir.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("testbed.pki.public-dir must differ from testbed.pki.dir ("
                    + dir + "), which holds the private keys");
        }
    }
}
