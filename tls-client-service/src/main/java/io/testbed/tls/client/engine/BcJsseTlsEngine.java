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
import java.util.List;

/**
 * Bouncy Castle's JSSE provider (BCJSSE, from bctls): its {@link javax.net.ssl.SSLEngine}, its PKIX
 * TrustManagerFactory over the testbed CA, endpoint identification {@code HTTPS}. The provider is
 * one instance used by name-free lookups ({@code getInstance(..., provider)}); it is never installed
 * in the JVM's provider list, so other engines and the service are unaffected. Its crypto is Bouncy
 * Castle's JCA provider, also an uninstalled instance.
 */
public final class BcJsseTlsEngine extends SslEngineTlsEngine {
    public static final String NAME = "bcjsse";

    /** BCJSSE over Bouncy Castle's JCA provider, both as instances (BCJSSE's nonce generator needs BC's "DEFAULT" SecureRandom). */
    private static final Provider PROVIDER = new BouncyCastleJsseProvider(false,
            new JcaTlsCryptoProvider().setProvider(new BouncyCastleProvider()));

    private final SecureRandom random = new SecureRandom();
    private volatile List<String> suites;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    Made newEngine(TlsSettings settings) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS", PROVIDER);
            TrustManager tm = JsseTrust.forVerifier(settings.verifier(), PROVIDER, settings.serverName());
            ctx.init(null, new TrustManager[] {tm}, random);
            return new Made(ctx.createSSLEngine(settings.serverName(), 443), () -> { });
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up BCJSSE: " + e.getMessage(), e);
        }
    }

    @Override
    List<String> supportedCipherSuites() {
        if (suites == null) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS", PROVIDER);
                ctx.init(null, null, null);
                suites = list(ctx.createSSLEngine().getSupportedCipherSuites());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return suites;
    }
}
