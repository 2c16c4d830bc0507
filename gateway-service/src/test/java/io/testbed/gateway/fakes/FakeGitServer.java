package io.testbed.gateway.fakes;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;

/**
 * git-http-server's {@code GET /api/repos} over HTTPS, with a certificate for 127.0.0.1 signed by a
 * throwaway CA whose PEM is written to {@link #caFile()}.
 */
public final class FakeGitServer implements AutoCloseable {

    public static final String REPOS = "[{\"name\":\"pack-256k\"},{\"name\":\"pack-1m\"},{\"name\":\"pack-4m\"}]";
    /** As git-http-server lists them: with {@code sizeBytes} and {@code packBytes}. */
    public static final String REPOS_WITH_SIZES = "[{\"name\":\"pack-256k\",\"sizeBytes\":262144,\"packBytes\":262100},"
            + "{\"name\":\"pack-1m\",\"sizeBytes\":1048576,\"packBytes\":1048500},"
            + "{\"name\":\"pack-4m\",\"sizeBytes\":4194304,\"packBytes\":4194200}]";

    private final HttpsServer server;
    private final Path caFile;

    public FakeGitServer() throws Exception {
        this(REPOS);
    }

    /** @param repos the body of {@code GET /api/repos} */
    public FakeGitServer(String repos) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair caKeys = rsa.generateKeyPair();
        KeyPair serverKeys = rsa.generateKeyPair();
        X509Certificate ca = certificate("CN=fake testbed CA", caKeys.getPublic(), "CN=fake testbed CA", caKeys.getPrivate(), true);
        X509Certificate leaf = certificate("CN=127.0.0.1", serverKeys.getPublic(), "CN=fake testbed CA", caKeys.getPrivate(), false);

        caFile = Files.createTempFile("fake-testbed-ca", ".crt");
        caFile.toFile().deleteOnExit();
        Files.writeString(caFile, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n");

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverKeys.getPrivate(), new char[0], new Certificate[] {leaf, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/api/repos", exchange -> {
            byte[] body = repos.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public Path caFile() {
        return caFile;
    }

    private static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean isCa)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (!isCa) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        Files.deleteIfExists(caFile);
    }
}
