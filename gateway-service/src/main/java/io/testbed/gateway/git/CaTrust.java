package io.testbed.gateway.git;

import org.springframework.stereotype.Component;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * An {@link SSLContext} that trusts exactly the certificates in {@code testbed.pki.ca-file}. The
 * file is read on first use and again whenever its modification time changes (git-http-server
 * regenerates the PKI only when it is missing, so in practice this happens once).
 */
@Component
public class CaTrust {

    private final Path caFile;
    private FileTime loadedAt;
    private SSLContext context;

    public CaTrust(PkiProperties properties) {
        this.caFile = properties.caFile();
    }

    public Path caFile() {
        return caFile;
    }

    /** @throws IOException if the CA file is missing or unreadable as X.509 PEM */
    public synchronized SSLContext sslContext() throws IOException {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(caFile);
        } catch (IOException e) {
            throw new IOException("the testbed CA file " + caFile.toAbsolutePath() + " does not exist yet"
                    + " (git-http-server writes it on first start; set testbed.pki.ca-file if it is elsewhere)", e);
        }
        if (context == null || !modified.equals(loadedAt)) {
            context = load(caFile);
            loadedAt = modified;
        }
        return context;
    }

    private static SSLContext load(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in " + caFile.toAbsolutePath());
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("testbed-ca-" + i++, certificate);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + caFile.toAbsolutePath() + " as the testbed CA: " + e.getMessage(), e);
        }
    }
}
