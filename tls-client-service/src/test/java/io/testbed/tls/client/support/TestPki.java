package io.testbed.tls.client.support;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throwaway PKI for tests, made with Bouncy Castle: CAs and server certificates with chosen
 * subjectAltNames, and the SSLContext a test server uses with them.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(1);

    /** The CA the client trusts, and one it does not. */
    public static final Issuer CA = Issuer.create("Testbed Test CA");
    public static final Issuer OTHER_CA = Issuer.create("Some Other CA");

    private TestPki() {
    }

    public record Issuer(String name, KeyPair keys, X509Certificate cert) {
        static Issuer create(String cn) {
            try {
                KeyPair keys = rsa();
                X500Name subject = new X500Name("CN=" + cn);
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.getAndIncrement()),
                        new Date(System.currentTimeMillis() - 3_600_000L), new Date(System.currentTimeMillis() + 86_400_000L),
                        subject, keys.getPublic());
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                return new Issuer(cn, keys, sign(b, keys));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A server certificate with these DNS names (and IPs when a name is a dotted quad). */
        public ServerIdentity issue(String... names) {
            return issue(new Date(System.currentTimeMillis() - 3_600_000L), new Date(System.currentTimeMillis() + 86_400_000L), names);
        }

        /** As {@link #issue}, but valid from two days ago until yesterday: expired. */
        public ServerIdentity issueExpired(String... names) {
            return issue(new Date(System.currentTimeMillis() - 2 * 86_400_000L), new Date(System.currentTimeMillis() - 86_400_000L), names);
        }

        private ServerIdentity issue(Date notBefore, Date notAfter, String... names) {
            try {
                KeyPair keys = rsa();
                GeneralName[] sans = new GeneralName[names.length];
                for (int i = 0; i < names.length; i++) {
                    sans[i] = new GeneralName(names[i].matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
                }
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name),
                        BigInteger.valueOf(SERIAL.getAndIncrement()), notBefore, notAfter, new X500Name("CN=" + names[0]),
                        keys.getPublic());
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                return new ServerIdentity(keys, sign(b, this.keys), cert);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes the CA certificate as PEM, as git-http-server writes ca.crt. */
        public Path writePem(Path file) {
            try {
                String pem = "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
                Files.writeString(file, pem);
                return file;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public record ServerIdentity(KeyPair keys, X509Certificate cert, X509Certificate issuer) {
        public SSLContext sslContext() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("server", keys.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert, issuer});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, "pw".toCharArray());
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                return ctx;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuerKeys) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    }

}
