package io.testbed.tls.client.engine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The JDK's own TLS (SunJSSE {@link javax.net.ssl.SSLEngine}); the chain is checked by SunJSSE's PKIX
 * TrustManager over the testbed CA and the host name by endpoint identification {@code HTTPS}.
 */
public final class JdkTlsEngine extends SslEngineTlsEngine {
    public static final String NAME = "jdk";
    private static final String PROVIDER = "SunJSSE";

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
            TrustManager tm = JsseTrust.forVerifier(settings.verifier(), null, settings.serverName());
            ctx.init(null, new TrustManager[] {tm}, random);
            return new Made(ctx.createSSLEngine(settings.serverName(), 443), () -> { });
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up SunJSSE: " + e.getMessage(), e);
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
