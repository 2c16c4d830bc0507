package io.testbed.git.server.marks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The HTTPS connector's marks against a client that counts its own socket bytes: after each exchange the
 * server's mark says it read exactly what the client wrote and wrote exactly what the client read
 * (ciphertext, TLS handshake included), over a kept-alive connection and a chunked git response.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=-1",
        "testbed.git.repositories=pack-256k",
        "testbed.git.marks.port=0"})
class MarkingConnectorTest {

    @TempDir
    static Path tmp;

    @LocalServerPort
    int port;

    @Autowired
    MarkFeedServer feed;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry properties) {
        properties.add("testbed.pki.dir", () -> tmp.resolve("pki").toString());
        properties.add("testbed.git.repos-dir", () -> tmp.resolve("repos").toString());
    }

    @Test
    @DisplayName("each wait for input is marked with the exact socket bytes read and written; the close too")
    void keptAliveConnection_marksMatchTheClientsSocketCounts() throws Exception {
        try (Socket marks = new Socket("127.0.0.1", feed.port());
             CountingSocket raw = new CountingSocket()) {
            BufferedReader fromFeed = new BufferedReader(new InputStreamReader(marks.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(fromFeed.readLine()).isEqualTo("MARKS 1");
            raw.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream toFeed = marks.getOutputStream();
            toFeed.write(("SUB " + raw.getLocalPort() + "\n").getBytes(StandardCharsets.US_ASCII));
            toFeed.flush();
            String[] accepted = mark(fromFeed.readLine(), raw.getLocalPort());
            assertThat(accepted[4] + " " + accepted[5] + " " + accepted[6]).as("accepted: nothing read or written").isEqualTo("0 0 W");

            SSLSocket tls = (SSLSocket) trustingCa().getSocketFactory().createSocket(raw, "localhost", port, true);
            tls.startHandshake();
            String[] handshake = awaitMark(fromFeed, raw.getLocalPort(), raw.written.get());
            assertThat(Long.parseLong(handshake[5])).as("the server's flight, all of it read by the client").isPositive();

            for (String path : new String[] {"/pack-256k.git/info/refs?service=git-upload-pack", "/api/repos"}) {
                String body = get(tls, path);
                assertThat(body).isNotEmpty();
                String[] m = awaitMark(fromFeed, raw.getLocalPort(), raw.written.get());
                assertThat(Long.parseLong(m[5])).as("written by the server = read by the client, after " + path)
                        .isEqualTo(raw.read.get());
                assertThat(m[6]).isEqualTo("W");
            }
            long readBeforeClose = raw.read.get();
            tls.close();
            String line;
            String[] closed;
            do {
                line = fromFeed.readLine();
                closed = mark(line, raw.getLocalPort());
            } while (!closed[6].equals("C"));
            assertThat(Long.parseLong(closed[5])).as("close_notify after the last answer").isGreaterThanOrEqualTo(readBeforeClose);
        }
    }

    /** Reads marks until one says the server read {@code clientWrote} bytes (the answer to the last write). */
    private static String[] awaitMark(BufferedReader feed, int localPort, long clientWrote) throws IOException {
        while (true) {
            String[] m = mark(feed.readLine(), localPort);
            if (Long.parseLong(m[4]) == clientWrote && m[6].equals("W")) {
                return m;
            }
        }
    }

    private static String[] mark(String line, int localPort) {
        assertThat(line).as("a mark line").isNotNull().startsWith("M " + localPort + " ");
        String[] f = line.split(" ");
        assertThat(f).hasSize(7);
        return f;
    }

    /** One GET on the kept-alive connection; returns the body (Content-Length or chunked). */
    private static String get(SSLSocket tls, String path) throws IOException {
        OutputStream out = tls.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nGit-Protocol: version=0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = tls.getInputStream();
        String status = line(in);
        assertThat(status).startsWith("HTTP/1.1 200");
        long length = -1;
        boolean chunked = false;
        String h;
        while (!(h = line(in)).isEmpty()) {
            String lower = h.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            int size;
            while ((size = Integer.parseInt(line(in).trim(), 16)) > 0) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in); // the empty line after the last chunk
        } else {
            body.write(in.readNBytes((int) length));
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("end of stream in a header line");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static SSLContext trustingCa() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(tmp.resolve("pki/ca.crt"))) {
            trust.setCertificateEntry("testbed-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** A plain socket that counts the bytes through its streams (what TLS layered on it sends and receives). */
    static final class CountingSocket extends Socket {
        final AtomicLong read = new AtomicLong();
        final AtomicLong written = new AtomicLong();

        @Override
        public InputStream getInputStream() throws IOException {
            return new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        read.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) {
                        read.addAndGet(n);
                    }
                    return n;
                }
            };
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return new FilterOutputStream(super.getOutputStream()) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    written.incrementAndGet();
                }

                @Override
                public void write(byte[] buf, int off, int len) throws IOException {
                    out.write(buf, off, len);
                    written.addAndGet(len);
                }
            };
        }
    }
}
