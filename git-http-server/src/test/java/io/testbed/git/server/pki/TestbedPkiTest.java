package io.testbed.git.server.pki;

import static org.assertj.core.api.Assertions.assertThat;

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
        return new TestbedPki(new PkiProperties(dir, names, List.of("127.0.0.1")));
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
}
