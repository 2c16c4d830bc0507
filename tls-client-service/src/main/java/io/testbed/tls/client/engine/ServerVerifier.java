package io.testbed.tls.client.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Verifies a server the way a browser would, against the testbed CA only: a PKIX chain validation
 * (JCA {@link CertPathValidator}, the CA as the only trust anchor, revocation off) and a host-name
 * check against the leaf's subjectAltName DNS names and IP addresses. Bouncy Castle's low-level TLS
 * API checks neither by itself, so every engine calls this.
 *
 * <p>{@link #none()} skips both, as Akuma's {@code NoVerify} did; it is labelled {@code none} in
 * every result so that such a download is never mistaken for a verified one.
 */
public final class ServerVerifier {
    public static final String CA = "ca";
    public static final String NONE = "none";

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> anchorCerts;

    private ServerVerifier(List<X509Certificate> anchorCerts) {
        this.anchorCerts = anchorCerts;
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate c : anchorCerts) {
            set.add(new TrustAnchor(c, null));
        }
        this.anchors = set;
    }

    public static ServerVerifier none() {
        return new ServerVerifier(List.of());
    }

    public static ServerVerifier trusting(List<X509Certificate> caCertificates) {
        if (caCertificates.isEmpty()) {
            throw new IllegalArgumentException("no CA certificate to trust");
        }
        return new ServerVerifier(List.copyOf(caCertificates));
    }

    /** Trusts the certificates in a PEM (or DER) file: the testbed's {@code ca.crt}. */
    public static ServerVerifier fromCaFile(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> list = new ArrayList<>();
            for (Certificate c : certs) {
                list.add((X509Certificate) c);
            }
            if (list.isEmpty()) {
                throw new IOException("CA file " + caFile + " holds no certificate");
            }
            return trusting(list);
        } catch (NoSuchFileException e) {
            throw new IOException("CA file " + caFile.toAbsolutePath() + " not found (is git-http-server's PKI generated?)", e);
        } catch (CertificateException e) {
            throw new IOException("CA file " + caFile + " is not a certificate: " + e.getMessage(), e);
        }
    }

    /** The CA certificates trusted (empty for {@link #none()}): JSSE engines build their TrustManager from these. */
    public List<X509Certificate> caCertificates() {
        return anchorCerts;
    }

    public boolean verifies() {
        return !anchors.isEmpty();
    }

    /** "ca" or "none". */
    public String label() {
        return verifies() ? CA : NONE;
    }

    /**
     * @param chain the server's chain, leaf first
     * @param host  the name the client connected to
     * @throws CertificateException with "certificate not trusted: ..." or
     *                              "host name X does not match certificate names [...]"
     */
    public void verify(List<X509Certificate> chain, String host) throws CertificateException {
        if (!verifies()) {
            return;
        }
        if (chain.isEmpty()) {
            throw new CertificateException("certificate not trusted: the server sent no certificate");
        }
        validateChain(chain);
        checkHostName(chain.get(0), host);
    }

    private void validateChain(List<X509Certificate> chain) throws CertificateException {
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (!anchorCerts.contains(c)) {
                path.add(c);
            }
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            CertPath certPath = cf.generateCertPath(path);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            throw new CertificateException("certificate not trusted: " + e.getMessage()
                    + " (subject " + chain.get(0).getSubjectX500Principal().getName()
                    + ", issuer " + chain.get(0).getIssuerX500Principal().getName() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("certificate not trusted: " + e.getMessage(), e);
        }
    }

    /** The host-name check alone (leaf SAN DNS names / IPs), with the message {@link #verify} uses. */
    public static void checkHostName(X509Certificate leaf, String host) throws CertificateException {
        List<String> names = new ArrayList<>();
        boolean ipHost = isIpLiteral(host);
        String wanted = host.toLowerCase(Locale.ROOT);
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    String value = String.valueOf(san.get(1));
                    names.add(value);
                    if (type == 2 && !ipHost && dnsMatches(value.toLowerCase(Locale.ROOT), wanted)) {
                        return;
                    }
                    if (type == 7 && ipHost && sameAddress(value, host)) {
                        return;
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new CertificateException("certificate names unreadable: " + e.getMessage(), e);
        }
        throw new CertificateException("host name " + host + " does not match certificate names " + names);
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.equals(host)) {
            return true;
        }
        // a left-most "*." wildcard covers exactly one label
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(pattern.substring(1));
        }
        return false;
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (IOException e) {
            return false;
        }
    }
}
