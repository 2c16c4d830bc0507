package io.testbed.tls.client.engine;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TrustManagers for the SSLEngine-based engines ({@code jdk}, {@code bcjsse}, {@code boringssl}).
 *
 * <p>With {@code verify=ca} the check is the JSSE provider's own: a PKIX TrustManager made by the
 * provider's {@link TrustManagerFactory} from a key store holding only the testbed CA, and the host
 * name checked by that TrustManager because the engine's SSLParameters ask for endpoint
 * identification {@code HTTPS}. A thin wrapper only rewords a refusal so that every engine fails
 * with the same words as {@link ServerVerifier} ("certificate not trusted: ...", "host name X does not
 * match certificate names [...]"); it tells a name mismatch from an untrusted chain by asking the
 * delegate again without the engine (chain only).
 *
 * <p>With {@code verify=none} every chain is accepted and no endpoint identification is asked for;
 * results say {@code none}.
 */
final class JsseTrust {

    private JsseTrust() {
    }

    /**
     * @param provider the JSSE provider whose PKIX TrustManagerFactory checks the chain, or null for the
     *                 JDK's default (SunJSSE)
     */
    static X509ExtendedTrustManager forVerifier(ServerVerifier verifier, Provider provider, String serverName) {
        if (!verifier.verifies()) {
            return new TrustAll();
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            List<X509Certificate> cas = verifier.caCertificates();
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("testbed-ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = provider == null ? TrustManagerFactory.getInstance("PKIX")
                    : TrustManagerFactory.getInstance("PKIX", provider);
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return new Reworded(x, serverName);
                }
            }
            throw new IllegalStateException("no X509ExtendedTrustManager from " + tmf.getProvider().getName());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TrustManager for the testbed CA: " + e.getMessage(), e);
        }
    }

    /** Delegates every check; rewords a server-certificate refusal. */
    private static final class Reworded extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final String serverName;

        Reworded(X509ExtendedTrustManager delegate, String serverName) {
            this.delegate = delegate;
            this.serverName = serverName;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw reworded(chain, authType, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("certificate not trusted: sockets are not used by this client");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw new CertificateException("certificate not trusted: " + e.getMessage(), e);
            }
        }

        private CertificateException reworded(X509Certificate[] chain, String authType, CertificateException e) {
            try {
                delegate.checkServerTrusted(chain, authType); // the chain alone
            } catch (CertificateException chainRefused) {
                X509Certificate leaf = chain.length > 0 ? chain[0] : null;
                return new CertificateException("certificate not trusted: " + e.getMessage()
                        + (leaf == null ? "" : " (subject " + leaf.getSubjectX500Principal().getName()
                        + ", issuer " + leaf.getIssuerX500Principal().getName() + validity(leaf) + ")"), e);
            }
            // the chain is fine, so the provider refused the name
            try {
                ServerVerifier.checkHostName(chain[0], serverName);
            } catch (CertificateException nameRefused) {
                return new CertificateException(nameRefused.getMessage() + " (" + e.getMessage() + ")", e);
            }
            return new CertificateException("certificate refused: " + e.getMessage(), e);
        }

        /** Some providers do not say why a chain failed; an expired leaf is the common reason worth naming. */
        private static String validity(X509Certificate leaf) {
            try {
                leaf.checkValidity();
                return "";
            } catch (java.security.cert.CertificateExpiredException x) {
                return ", expired: valid until " + leaf.getNotAfter().toInstant();
            } catch (java.security.cert.CertificateNotYetValidException x) {
                return ", not yet valid: valid from " + leaf.getNotBefore().toInstant();
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    /** {@code verify=none}: Akuma's NoVerify. */
    private static final class TrustAll extends X509ExtendedTrustManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
