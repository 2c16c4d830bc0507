package io.testbed.tls.client.engine;

import io.testbed.tls.client.transport.SyscallSocket;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.RecordFormat;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;

/**
 * Bouncy Castle's {@link TlsClientProtocol} in non-blocking mode ({@code offerInput} /
 * {@code readInput} / {@code readOutput}): the engine owns no socket, the client loop moves bytes
 * between it and the {@link SyscallSocket}, exactly as an embedded TLS stack such as Akuma's
 * libakuma-tls sits on a {@code TcpTransport}. Crypto is BC's lightweight {@link BcTlsCrypto}.
 *
 * <p>BC does not pad TLS 1.3 records nor split application data, so record sizes (and with them the
 * byte stream the kernel sees) depend only on the data, not on randomness.
 */
public final class BcTlsEngine implements TlsEngine {
    public static final String NAME = "bc";

    private static final Map<String, Integer> SUITES_BY_NAME = new HashMap<>();
    private static final Map<Integer, String> SUITE_NAMES = new HashMap<>();

    static {
        for (Field f : CipherSuite.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && f.getName().startsWith("TLS_")) {
                try {
                    int v = f.getInt(null);
                    SUITES_BY_NAME.put(f.getName(), v);
                    SUITE_NAMES.putIfAbsent(v, f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private final SecureRandom random = new SecureRandom();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(TlsSettings settings) {
        versions(settings.versions());
        suites(settings.cipherSuites());
    }

    static ProtocolVersion[] versions(List<String> names) {
        List<ProtocolVersion> list = new ArrayList<>();
        for (String n : names) {
            switch (n) {
                case "TLSv1.3" -> list.add(ProtocolVersion.TLSv13);
                case "TLSv1.2" -> list.add(ProtocolVersion.TLSv12);
                default -> throw new IllegalArgumentException("unsupported TLS version '" + n + "'; allowed: [TLSv1.3, TLSv1.2]");
            }
        }
        list.sort(Comparator.comparingInt(ProtocolVersion::getFullVersion).reversed());
        return list.toArray(new ProtocolVersion[0]);
    }

    static int[] suites(List<String> names) {
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) {
            Integer v = SUITES_BY_NAME.get(names.get(i));
            if (v == null) {
                throw new IllegalArgumentException("unknown cipher suite '" + names.get(i) + "' (IANA names, e.g. TLS_AES_128_GCM_SHA256)");
            }
            out[i] = v;
        }
        return out;
    }

    @Override
    public TlsConnection handshake(SyscallSocket socket, TlsSettings settings) throws IOException {
        TlsCrypto crypto = new BcTlsCrypto(random);
        Client client = new Client(crypto, settings);
        TlsClientProtocol protocol = new TlsClientProtocol();
        BcConnection connection = new BcConnection(protocol, socket, client);
        try {
            protocol.connect(client);
            connection.flushOutput();
            while (!client.handshakeComplete) {
                if (!connection.pump()) {
                    throw new EOFException("connection closed by the server during the TLS handshake");
                }
            }
        } catch (IOException | RuntimeException e) {
            connection.flushQuietly(); // deliver our alert, if any, before the caller closes
            throw e;
        }
        return connection;
    }

    /** The TlsClient: versions and suites from the settings, SNI, and the server check. */
    private static final class Client extends DefaultTlsClient {
        private final TlsSettings settings;
        private final ProtocolVersion[] versions;
        private final int[] suites;
        volatile boolean handshakeComplete;
        ProtocolVersion negotiated;
        int selectedSuite = -1;

        Client(TlsCrypto crypto, TlsSettings settings) {
            super(crypto);
            this.settings = settings;
            this.versions = versions(settings.versions());
            this.suites = suites(settings.cipherSuites());
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return versions;
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), suites);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected Vector getSNIServerNames() {
            String host = settings.serverName();
            if (host == null || host.matches("[0-9.]+") || host.contains(":")) {
                return null; // no SNI for IP literals (RFC 6066)
            }
            Vector names = new Vector();
            names.add(new ServerName(NameType.host_name, host.getBytes(StandardCharsets.US_ASCII)));
            return names;
        }

        @Override
        public void notifyServerVersion(ProtocolVersion serverVersion) throws IOException {
            super.notifyServerVersion(serverVersion);
            negotiated = serverVersion;
        }

        @Override
        public void notifySelectedCipherSuite(int selectedCipherSuite) {
            super.notifySelectedCipherSuite(selectedCipherSuite);
            selectedSuite = selectedCipherSuite;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            handshakeComplete = true;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    List<X509Certificate> chain = new ArrayList<>();
                    try {
                        CertificateFactory cf = CertificateFactory.getInstance("X.509");
                        var certs = serverCertificate.getCertificate();
                        for (int i = 0; i < certs.getLength(); i++) {
                            chain.add((X509Certificate) cf.generateCertificate(
                                    new ByteArrayInputStream(certs.getCertificateAt(i).getEncoded())));
                        }
                        settings.verifier().verify(chain, settings.serverName());
                    } catch (CertificateException e) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate, e.getMessage(), e);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                    return null;
                }
            };
        }
    }

    /** The client loop around the protocol object: socket bytes in, protocol bytes out. */
    private static final class BcConnection extends StreamingTlsConnection {
        private final TlsClientProtocol protocol;
        private final SyscallSocket socket;
        private final Client client;
        private final WholeRecords records;
        private boolean eof;
        private boolean closed;
        private IOException failure;

        BcConnection(TlsClientProtocol protocol, SyscallSocket socket, Client client) {
            this.protocol = protocol;
            this.socket = socket;
            this.client = client;
            this.records = new WholeRecords(protocol);
        }

        /** One socket read offered to the protocol; false at end of stream. */
        boolean pump() throws IOException {
            if (failure != null) {
                // sticky: a reader that retries after a failure (JGit closes its inflater by reading on) sees the cause
                throw failure;
            }
            if (eof || protocol.isClosed()) {
                eof = true;
                return false;
            }
            try {
                byte[] data = socket.recv();
                if (data == null) {
                    eof = true;
                    return false;
                }
                records.offer(data);
                flushOutput();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            return true;
        }

        void flushOutput() throws IOException {
            int n;
            while ((n = protocol.getAvailableOutputBytes()) > 0) {
                byte[] buf = new byte[n];
                int got = protocol.readOutput(buf, 0, n);
                socket.send(buf, 0, got);
            }
        }

        void flushQuietly() {
            try {
                flushOutput();
            } catch (IOException | RuntimeException ignored) {
                // the connection is failing anyway
            }
        }

        @Override
        public String protocol() {
            return client.negotiated == null ? null : client.negotiated.getName().replace("TLS 1.", "TLSv1.");
        }

        @Override
        public String cipherSuite() {
            return client.selectedSuite < 0 ? null : SUITE_NAMES.getOrDefault(client.selectedSuite, "0x" + Integer.toHexString(client.selectedSuite));
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (!protocol.isClosed()) {
                    protocol.close();
                    flushOutput();
                }
            } catch (IOException | RuntimeException ignored) {
                // best effort close_notify
            } finally {
                socket.close();
            }
        }

        @Override
        int readDecrypted(byte[] b, int off, int len) throws IOException {
            while (protocol.getAvailableInputBytes() == 0) {
                if (!pump()) {
                    return -1;
                }
            }
            return protocol.readInput(b, off, Math.min(len, protocol.getAvailableInputBytes()));
        }

        @Override
        int decryptedAvailable() {
            return protocol.getAvailableInputBytes();
        }

        @Override
        void writePlain(byte[] b, int off, int len) throws IOException {
            protocol.writeApplicationData(b, off, len);
            flushOutput();
        }
    }

    /**
     * Offers the protocol whole records only, each in an array of its own that is then the protocol's: BC's
     * {@code offerInput} fast path, which decrypts the record where it is, instead of its input queue, which copies
     * every socket read into a buffer that it grows and drops again record after record (three quarters of what a
     * download thread allocated; issue 19). What BC sees is what it saw before, at the same socket reads: the same
     * records in the same order, each offered as its last byte arrives (as BC processed each once whole), and each
     * header checked by {@code previewInputRecord} as soon as its 5 bytes are here (the check offerInput makes
     * on a header in its queue, with the same alert on a bad one). Bytes after a record that closed the connection
     * are dropped, as BC's queue kept them unread.
     */
    static final class WholeRecords {
        private final TlsClientProtocol protocol;
        private final byte[] header = new byte[RecordFormat.FRAGMENT_OFFSET];
        private int headerFill;
        private byte[] record;
        private int recordFill;

        WholeRecords(TlsClientProtocol protocol) {
            this.protocol = protocol;
        }

        void offer(byte[] data) throws IOException {
            int off = 0;
            while (off < data.length && !protocol.isClosed()) {
                if (record == null) {
                    int take = Math.min(header.length - headerFill, data.length - off);
                    System.arraycopy(data, off, header, headerFill, take);
                    headerFill += take;
                    off += take;
                    if (headerFill < header.length) {
                        return;
                    }
                    headerFill = 0;
                    record = new byte[protocol.previewInputRecord(header).getRecordSize()];
                    System.arraycopy(header, 0, record, 0, header.length);
                    recordFill = header.length;
                }
                int take = Math.min(record.length - recordFill, data.length - off);
                System.arraycopy(data, off, record, recordFill, take);
                recordFill += take;
                off += take;
                if (recordFill == record.length) {
                    byte[] whole = record;
                    record = null;
                    protocol.offerInput(whole);
                }
            }
        }
    }
}
