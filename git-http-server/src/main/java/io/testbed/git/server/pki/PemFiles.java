package io.testbed.git.server.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.EnumSet;
import java.util.Set;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM files of the testbed PKI. Certificates are world-readable (other services read {@code ca.crt});
 * private keys are PKCS#8 ({@code BEGIN PRIVATE KEY}) and created {@code rw-------}: the temporary file
 * gets its permissions at creation and is then renamed into place, so the key is never readable by
 * others, not even for a moment, and a crash never leaves a half-written file under the real name.
 */
final class PemFiles {

    static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> WORLD_READABLE = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private PemFiles() {
    }

    static void writeCertificate(Path target, X509Certificate certificate) throws IOException {
        try {
            write(target, new PemObject("CERTIFICATE", certificate.getEncoded()), WORLD_READABLE);
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode certificate for " + target, e);
        }
    }

    static void writePrivateKey(Path target, PrivateKey key) throws IOException {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("expected a PKCS#8 key, got " + key.getFormat());
        }
        write(target, new PemObject("PRIVATE KEY", key.getEncoded()), OWNER_ONLY);
    }

    static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        byte[] der = readPem(file, "CERTIFICATE");
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    static PrivateKey readPrivateKey(Path file, String algorithm) throws IOException, GeneralSecurityException {
        byte[] der = readPem(file, "PRIVATE KEY");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static byte[] readPem(Path file, String expectedType) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PemReader pem = new PemReader(reader)) {
            PemObject object = pem.readPemObject();
            if (object == null || !expectedType.equals(object.getType())) {
                throw new IOException(file + " does not hold a PEM " + expectedType);
            }
            return object.getContent();
        }
    }

    private static void write(Path target, PemObject object, Set<PosixFilePermission> permissions)
            throws IOException {
        StringWriter text = new StringWriter();
        try (PemWriter pem = new PemWriter(text)) {
            pem.writeObject(object);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);

        Path dir = target.toAbsolutePath().getParent();
        Path temp = posix()
                ? Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(permissions))
                : Files.createTempFile(dir, "." + target.getFileName(), ".tmp", new FileAttribute<?>[0]);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
