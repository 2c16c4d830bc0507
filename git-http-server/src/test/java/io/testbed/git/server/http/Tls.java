package io.testbed.git.server.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/** Raw TLS sockets to the server, trusting only the testbed CA the server generated: for byte-level clients. */
public final class Tls {
    private Tls() {
    }

    public static SSLContext trusting(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("testbed-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A handshaken socket; {@code receiveBuffer} > 0 sets SO_RCVBUF before connecting (a slow reader's small window). */
    public static SSLSocket connect(Path caFile, int port, int receiveBuffer) throws Exception {
        java.net.Socket plain = new java.net.Socket();
        if (receiveBuffer > 0) {
            plain.setReceiveBufferSize(receiveBuffer);
        }
        plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        SSLSocket s = (SSLSocket) trusting(caFile).getSocketFactory().createSocket(plain, "localhost", port, true);
        s.setSoTimeout(20_000);
        s.startHandshake();
        return s;
    }
}
