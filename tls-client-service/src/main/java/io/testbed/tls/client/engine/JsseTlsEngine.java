package io.testbed.tls.client.engine;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.List;

/**
 * The {@link javax.net.ssl.SSLEngine} of a JSSE provider, with that provider's PKIX trust over the
 * testbed CA and endpoint identification {@code HTTPS}. Two providers are engines here:
 * <ul>
 *   <li>{@code jdk}: the JDK's own SunJSSE;</li>
 *   <li>{@code bcjsse}: Bouncy Castle's JSSE provider (bctls) over Bouncy Castle's JCA provider. Both
 *       are instances used by name-free lookups ({@code getInstance(..., provider)}), never installed in
 *       the JVM's provider list, so the other engines and the service are unaffected (BCJSSE's nonce
 *       generator needs BC's "DEFAULT" SecureRandom, hence the JCA provider instance).</li>
 * </ul>
 */
public final class JsseTlsEngine extends SslEngineTlsEngine {
    public static final String JDK = "jdk";
    public static final String BCJSSE = "bcjsse";

    private final String name;
    private final String label;
    private final Provider provider;
    /** The provider of the TrustManagerFactory; null for the JDK's default. */
    private final Provider trustProvider;
    private final SecureRandom random = new SecureRandom();
    private volatile List<String> suites;

    private JsseTlsEngine(String name, String label, Provider provider, Provider trustProvider) {
        this.name = name;
        this.label = label;
        this.provider = provider;
        this.trustProvider = trustProvider;
    }

    /** SunJSSE, the JDK's TLS. */
    public static JsseTlsEngine jdk() {
        Provider sun = Security.getProvider("SunJSSE");
        if (sun == null) {
            throw new IllegalStateException("this JDK has no SunJSSE provider");
        }
        return new JsseTlsEngine(JDK, "SunJSSE", sun, null);
    }

    /** Bouncy Castle's BCJSSE, an uninstalled provider instance. */
    public static JsseTlsEngine bcjsse() {
        Provider bc = new BouncyCastleJsseProvider(false, new JcaTlsCryptoProvider().setProvider(new BouncyCastleProvider()));
        return new JsseTlsEngine(BCJSSE, "BCJSSE", bc, bc);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    Made newEngine(TlsSettings settings) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS", provider);
            TrustManager tm = JsseTrust.forVerifier(settings.verifier(), trustProvider, settings.serverName());
            ctx.init(null, new TrustManager[] {tm}, random);
            return new Made(ctx.createSSLEngine(settings.serverName(), 443), () -> { });
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up " + label + ": " + e.getMessage(), e);
        }
    }

    @Override
    List<String> supportedCipherSuites() {
        if (suites == null) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS", provider);
                ctx.init(null, null, null);
                suites = list(ctx.createSSLEngine().getSupportedCipherSuites());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return suites;
    }
}
