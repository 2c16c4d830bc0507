package io.testbed.git.server.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the testbed PKI on first use and reuses it afterwards.
 * <p>
 * The CA is kept as long as it is a valid CA whose key matches; the server certificate is reissued
 * (by the same CA) when it is missing, expired or expiring within {@link #RENEW_BEFORE}, not signed by
 * the CA, or lacks one of the configured names. Both keys are RSA 2048: RSA signatures have a fixed
 * length, so the bytes of a handshake, and with them the simulated timings, do not vary between runs.
 * A file lock in the directory keeps two processes sharing it (compose restarts, parallel test JVMs)
 * from generating at the same time.
 */
public final class TestbedPki {

    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String SERVER_CERT = "server.crt";
    public static final String SERVER_KEY = "server.key";

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVER_VALIDITY = Duration.ofDays(730);
    static final Duration RENEW_BEFORE = Duration.ofDays(7);
    private static final int RSA_BITS = 2048;
    private static final String SIGNATURE = "SHA256withRSA";
    private static final String ORGANIZATION = "TLS kernel testbed";
    private static final Object JVM_LOCK = new Object();
    private static final Logger log = LoggerFactory.getLogger(TestbedPki.class);

    /** What {@link #ensure} had to do. */
    public enum Outcome { REUSED, SERVER_REISSUED, GENERATED }

    /** The PKI files and what was loaded from them. */
    public record Material(Path dir, X509Certificate caCertificate, X509Certificate serverCertificate,
            Outcome outcome) {
        public Path caCertificateFile() {
            return dir.resolve(CA_CERT);
        }

        public Path caKeyFile() {
            return dir.resolve(CA_KEY);
        }

        public Path serverCertificateFile() {
            return dir.resolve(SERVER_CERT);
        }

        public Path serverKeyFile() {
            return dir.resolve(SERVER_KEY);
        }
    }

    private final PkiProperties properties;
    private final SecureRandom random = new SecureRandom();

    public TestbedPki(PkiProperties properties) {
        for (String ip : properties.serverIps()) {
            if (!IPAddress.isValid(ip)) {
                throw new IllegalArgumentException("testbed.pki.server-ips: '" + ip + "' is not an IP address literal");
            }
        }
        this.properties = properties;
    }

    /** Loads the PKI from {@code testbed.pki.dir}, generating whatever is missing or unfit. */
    public Material ensure() {
        Path dir = properties.dir().toAbsolutePath().normalize();
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(dir);
                try (FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock ignored = lockChannel.lock()) {
                    return ensureLocked(dir);
                }
            } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("cannot prepare the testbed PKI in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private Material ensureLocked(Path dir) throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        Issuer ca = loadCa(dir, now);
        Outcome outcome;
        if (ca == null) {
            ca = generateCa(dir, now);
            outcome = Outcome.GENERATED;
        } else {
            outcome = Outcome.REUSED;
        }

        X509Certificate server = outcome == Outcome.REUSED ? loadServer(dir, ca, now) : null;
        if (server == null) {
            server = generateServer(dir, ca, now);
            if (outcome == Outcome.REUSED) {
                outcome = Outcome.SERVER_REISSUED;
            }
        }
        log.info("Testbed PKI in {}: {} (CA '{}' valid until {}, server names {} valid until {})", dir, outcome,
                ca.certificate().getSubjectX500Principal().getName(), ca.certificate().getNotAfter().toInstant(),
                namesOf(server), server.getNotAfter().toInstant());
        publishCaCertificate(ca.certificate());
        return new Material(dir, ca.certificate(), server, outcome);
    }

    /**
     * Copies the CA certificate, and nothing else, into {@code testbed.pki.public-dir} when that is set, so
     * the services that only need to trust the CA can be given that directory instead of the one with the
     * keys. Rewritten (atomically) only when it differs from the current CA.
     */
    private void publishCaCertificate(X509Certificate ca) throws IOException, GeneralSecurityException {
        if (properties.publicDir() == null) {
            return;
        }
        Path publicDir = properties.publicDir().toAbsolutePath().normalize();
        Files.createDirectories(publicDir);
        Path target = publicDir.resolve(CA_CERT);
        if (Files.isRegularFile(target)) {
            try {
                if (PemFiles.readCertificate(target).equals(ca)) {
                    return;
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                log.warn("Replacing the unreadable {}: {}", target, e.getMessage());
            }
        }
        PemFiles.writeCertificate(target, ca);
        log.info("Published the testbed CA certificate (alone) to {}", target);
    }

    private record Issuer(X509Certificate certificate, PrivateKey key) {
    }

    private Issuer loadCa(Path dir, Instant now) {
        Path certFile = dir.resolve(CA_CERT);
        Path keyFile = dir.resolve(CA_KEY);
        if (!Files.isRegularFile(certFile) || !Files.isRegularFile(keyFile)) {
            return null;
        }
        try {
            X509Certificate cert = PemFiles.readCertificate(certFile);
            PrivateKey key = PemFiles.readPrivateKey(keyFile, "RSA");
            String problem = cert.getBasicConstraints() < 0 ? "it is not a CA certificate"
                    : !keyMatches(cert.getPublicKey(), key) ? "ca.key does not belong to ca.crt"
                    : expiresBefore(cert, now.plus(SERVER_VALIDITY)) ? "it expires before a new server certificate would"
                    : null;
            if (problem != null) {
                log.warn("Replacing the testbed CA in {}: {}", dir, problem);
                return null;
            }
            return new Issuer(cert, key);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("Replacing the testbed CA in {}: cannot read it ({})", dir, e.getMessage());
            return null;
        }
    }

    private X509Certificate loadServer(Path dir, Issuer ca, Instant now) {
        Path certFile = dir.resolve(SERVER_CERT);
        Path keyFile = dir.resolve(SERVER_KEY);
        if (!Files.isRegularFile(certFile) || !Files.isRegularFile(keyFile)) {
            return null;
        }
        try {
            X509Certificate cert = PemFiles.readCertificate(certFile);
            PrivateKey key = PemFiles.readPrivateKey(keyFile, "RSA");
            Set<String> missing = new HashSet<>(wantedNames());
            missing.removeAll(namesOf(cert));
            String problem = !keyMatches(cert.getPublicKey(), key) ? "server.key does not belong to server.crt"
                    : ((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength() != RSA_BITS ? "its key is not RSA " + RSA_BITS
                    : !signedBy(cert, ca.certificate()) ? "it was not issued by the current CA"
                    : expiresBefore(cert, now.plus(RENEW_BEFORE)) ? "it expires within " + RENEW_BEFORE.toDays() + " days"
                    : !missing.isEmpty() ? "it lacks the configured names " + missing
                    : null;
            if (problem != null) {
                log.info("Reissuing the server certificate in {}: {}", dir, problem);
                return null;
            }
            return cert;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.warn("Reissuing the server certificate in {}: cannot read it ({})", dir, e.getMessage());
            return null;
        }
    }

    private Issuer generateCa(Path dir, Instant now) throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair pair = newRsaKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANIZATION).addRDN(BCStyle.CN, "Testbed CA").build();
        Instant notBefore = now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.atZone(ZoneOffset.UTC).plusYears(10).toInstant();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(notBefore), Date.from(notAfter), name, pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(pair.getPublic()));
        X509Certificate cert = sign(builder, pair.getPrivate());
        // Key first: a crash in between leaves a key without certificate, which loadCa rejects.
        PemFiles.writePrivateKey(dir.resolve(CA_KEY), pair.getPrivate());
        PemFiles.writeCertificate(dir.resolve(CA_CERT), cert);
        return new Issuer(cert, pair.getPrivate());
    }

    private X509Certificate generateServer(Path dir, Issuer ca, Instant now)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair pair = newRsaKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANIZATION).addRDN(BCStyle.CN, properties.serverNames().get(0)).build();
        List<GeneralName> names = new ArrayList<>();
        properties.serverNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        properties.serverIps().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        Instant notBefore = now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(SERVER_VALIDITY);
        if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
            notAfter = ca.certificate().getNotAfter().toInstant();
        }
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca.certificate()));
        X509Certificate cert = sign(builder, ca.key());
        PemFiles.writePrivateKey(dir.resolve(SERVER_KEY), pair.getPrivate());
        PemFiles.writeCertificate(dir.resolve(SERVER_CERT), cert);
        return cert;
    }

    private KeyPair newRsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(RSA_BITS, random);
        return generator.generateKeyPair();
    }

    private BigInteger serial() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[0] &= 0x7f; // positive and at most 16 octets, as RFC 5280 asks
        bytes[0] |= 0x01; // never zero
        return new BigInteger(bytes);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static boolean keyMatches(PublicKey publicKey, PrivateKey privateKey) {
        return publicKey instanceof RSAPublicKey pub && privateKey instanceof RSAPrivateCrtKey priv
                && pub.getModulus().equals(priv.getModulus())
                && pub.getPublicExponent().equals(priv.getPublicExponent());
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean expiresBefore(X509Certificate cert, Instant instant) {
        return cert.getNotAfter().toInstant().isBefore(instant);
    }

    private Set<String> wantedNames() throws UnknownHostException {
        Set<String> names = new HashSet<>(properties.serverNames());
        for (String ip : properties.serverIps()) {
            names.add(InetAddress.getByName(ip).getHostAddress());
        }
        return names;
    }

    /** DNS names and IP addresses (normalised) in a certificate's subjectAltName. */
    static Set<String> namesOf(X509Certificate cert) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
            if (alternatives == null) {
                return names;
            }
            for (List<?> entry : alternatives) {
                int type = (Integer) entry.get(0);
                String value = (String) entry.get(1);
                if (type == GeneralName.dNSName) {
                    names.add(value);
                } else if (type == GeneralName.iPAddress) {
                    names.add(InetAddress.getByName(value).getHostAddress());
                }
            }
        } catch (CertificateParsingException | UnknownHostException e) {
            throw new IllegalStateException("unreadable subjectAltName in " + cert.getSubjectX500Principal(), e);
        }
        return names;
    }
}
