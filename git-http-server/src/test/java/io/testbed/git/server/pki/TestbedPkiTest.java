package io.testbed.git.server.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestbedPkiTest {

    private static final List<String> NAMES = List.of("git.testbed", "localhost", "git-http-server");

    @TempDir
    Path dir;

    private TestbedPki pki(List<String> names) {
        return new TestbedPki(new PkiProperties(dir, names, List.of("127.0.0.1"), null));
    }

    @Test
    @DisplayName("the first call generates the PKI, a second call reuses the same files byte for byte")
    void ensure_calledTwice_generatesOnceThenReuses() throws Exception {
        TestbedPki.Material first = pki(NAMES).ensure();
        byte[] ca = Files.readAllBytes(first.caCertificateFile());
        byte[] caKey = Files.readAllBytes(first.caKeyFile());
        byte[] server = Files.readAllBytes(first.serverCertificateFile());

        TestbedPki.Material second = pki(NAMES).ensure();

        assertThat(first.outcome()).isEqualTo(TestbedPki.Outcome.GENERATED);
        assertThat(second.outcome()).isEqualTo(TestbedPki.Outcome.REUSED);
        assertThat(Files.readAllBytes(second.caCertificateFile())).isEqualTo(ca);
        assertThat(Files.readAllBytes(second.caKeyFile())).isEqualTo(caKey);
        assertThat(Files.readAllBytes(second.serverCertificateFile())).isEqualTo(server);
    }

    @Test
    @DisplayName("private keys are PKCS#8 PEM readable by the owner only, certificates by everyone")
    void ensure_fresh_writesKeysOwnerOnly() throws Exception {
        TestbedPki.Material material = pki(NAMES).ensure();

        Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(material.caKeyFile())).isEqualTo(ownerOnly);
        assertThat(Files.getPosixFilePermissions(material.serverKeyFile())).isEqualTo(ownerOnly);
        assertThat(Files.getPosixFilePermissions(material.caCertificateFile())).contains(PosixFilePermission.OTHERS_READ);
        assertThat(Files.readString(material.serverKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(material.caCertificateFile())).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    @DisplayName("the server certificate chains to the CA and carries every configured name")
    void ensure_fresh_serverCertificateChainsToCaWithNames() throws Exception {
        TestbedPki.Material material = pki(NAMES).ensure();
        X509Certificate ca = PemFiles.readCertificate(material.caCertificateFile());
        X509Certificate server = PemFiles.readCertificate(material.serverCertificateFile());

        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), parameters);

        assertThat(TestbedPki.namesOf(server))
                .containsExactlyInAnyOrder("git.testbed", "localhost", "git-http-server", "127.0.0.1");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(((RSAPublicKey) server.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getNotAfter().getTime() - ca.getNotBefore().getTime())
                .isGreaterThanOrEqualTo(3650L * 24 * 3600 * 1000);
        assertThat(server.getExtensionValue("2.5.29.14")).as("subjectKeyIdentifier").isNotNull();
        assertThat(server.getExtensionValue("2.5.29.35")).as("authorityKeyIdentifier").isNotNull();
    }

    @Test
    @DisplayName("a newly configured name reissues the server certificate and keeps the CA")
    void ensure_nameAdded_reissuesServerCertificateKeepsCa() throws Exception {
        TestbedPki.Material first = pki(NAMES).ensure();
        byte[] ca = Files.readAllBytes(first.caCertificateFile());

        TestbedPki.Material second = pki(List.of("git.testbed", "localhost", "git-http-server", "mirror.testbed")).ensure();

        assertThat(second.outcome()).isEqualTo(TestbedPki.Outcome.SERVER_REISSUED);
        assertThat(Files.readAllBytes(second.caCertificateFile())).isEqualTo(ca);
        assertThat(TestbedPki.namesOf(second.serverCertificate())).contains("mirror.testbed");
        second.serverCertificate().verify(second.caCertificate().getPublicKey());
    }

    @Test
    @DisplayName("an unreadable CA is replaced, together with the server certificate")
    void ensure_corruptCa_regeneratesEverything() throws Exception {
        pki(NAMES).ensure();
        Files.writeString(dir.resolve(TestbedPki.CA_CERT), "not a certificate");

        TestbedPki.Material again = pki(NAMES).ensure();

        assertThat(again.outcome()).isEqualTo(TestbedPki.Outcome.GENERATED);
        again.serverCertificate().verify(again.caCertificate().getPublicKey());
    }
    @Test
    @DisplayName("public-dir receives ca.crt alone, the same bytes as in dir, and follows a regenerated CA")
    void ensure_publicDir_holdsOnlyTheCaCertificate() throws Exception {
        Path publicDir = dir.resolveSibling(dir.getFileName() + "-public");
        try {
            TestbedPki pki = new TestbedPki(new PkiProperties(dir, NAMES, List.of("127.0.0.1"), publicDir));
            TestbedPki.Material first = pki.ensure();

            try (var files = Files.list(publicDir)) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly(TestbedPki.CA_CERT);
            }
            assertThat(Files.readAllBytes(publicDir.resolve(TestbedPki.CA_CERT)))
                    .isEqualTo(Files.readAllBytes(first.caCertificateFile()));
            assertThat(Files.getPosixFilePermissions(publicDir.resolve(TestbedPki.CA_CERT))).contains(PosixFilePermission.OTHERS_READ);

            Files.delete(first.caKeyFile());
            TestbedPki.Material second = pki.ensure();

            assertThat(second.outcome()).isEqualTo(TestbedPki.Outcome.GENERATED);
            assertThat(PemFiles.readCertificate(publicDir.resolve(TestbedPki.CA_CERT)))
                    .isEqualTo(second.caCertificate()).isNotEqualTo(first.caCertificate());
        } finally {
            try (var files = Files.list(publicDir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(publicDir);
        }
    }

    @Test
    @DisplayName("public-dir may not be the directory holding the keys")
    void properties_publicDirEqualToDir_isRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PkiProperties(dir, NAMES, List.of(), dir.resolve(".")))
                .withMessageContaining("testbed.pki.public-dir must differ from testbed.pki.dir");
    }
}
