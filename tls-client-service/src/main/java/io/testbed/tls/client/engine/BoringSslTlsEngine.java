package io.testbed.tls.client.engine;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * BoringSSL through netty-tcnative: Netty's OpenSSL {@link SSLEngine}
 * ({@code SslContextBuilder.forClient().sslProvider(OPENSSL)}), driven by the same wrap/unwrap loop
 * as the JSSE engines. The chain and host name are checked by the JDK's PKIX TrustManager over the
 * testbed CA, called by Netty with the engine (endpoint identification {@code HTTPS}).
 *
 * <p>BoringSSL does not let a client restrict its TLS 1.3 suites: it offers all three
 * (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305, in an order of its own) whatever is asked; the
 * negotiated suite is reported with every result, so this shows.
 */
public final class BoringSslTlsEngine extends SslEngineTlsEngine {
    public static final String NAME = "boringssl";

    @Override
    public String name() {
        return NAME;
    }

    private static void requireAvailable() throws IOException {
        if (!OpenSsl.isAvailable()) {
            Throwable cause = OpenSsl.unavailabilityCause();
            throw new IOException("BoringSSL (netty-tcnative) is not available on this host: "
                    + (cause == null ? "unknown reason" : cause.getMessage()), cause);
        }
    }

    @Override
    Made newEngine(TlsSettings settings) throws IOException {
        requireAvailable();
        SslContext ctx = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .trustManager(JsseTrust.forVerifier(settings.verifier(), null, settings.serverName()))
                .protocols(settings.versions())
                .ciphers(settings.cipherSuites())
                .endpointIdentificationAlgorithm(settings.verifier().verifies() ? "HTTPS" : null)
                .build();
        SSLEngine engine = ctx.newEngine(UnpooledByteBufAllocator.DEFAULT, settings.serverName(), 443);
        AtomicBoolean released = new AtomicBoolean();
        return new Made(engine, () -> {
            if (released.compareAndSet(false, true)) {
                ReferenceCountUtil.release(engine);
                ReferenceCountUtil.release(ctx);
            }
        });
    }

    @Override
    List<String> supportedCipherSuites() {
        return OpenSsl.isAvailable() ? new ArrayList<>(OpenSsl.availableJavaCipherSuites()) : List.of();
    }
}
