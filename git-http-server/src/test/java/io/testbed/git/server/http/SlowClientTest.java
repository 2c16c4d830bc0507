package io.testbed.git.server.http;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 3, on 8443 (HTTPS: git and the API). The read side is bounded tightly here
 * ({@code connection-timeout} 2 s, headers 3 s in all, a body 2 s in all), and yet a client reading a pack
 * at 1 KiB every 5 s for a minute is not cut: its blocked writes wait up to {@code testbed.http.write-timeout}
 * (5 min), not the connection-timeout, which Tomcat would otherwise use for both. The nested class shows the
 * same slow reader cut short (its response truncated) when the write timeout is left to Tomcat. The server's send buffer is 8 KiB
 * (SO_SNDBUF, which also stops Linux growing it), so its writes really block while the client dawdles. A TLS handshake
 * must be over within 3 s in all here ({@code testbed.http.max-handshake-time}), and the management port (8083) has
 * the same header bound as 8443.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = {
        io.testbed.git.server.GitHttpServerApplication.class, SlowClientTest.SmallSendBuffer.class}, properties = {
        "management.server.port=0",
        "testbed.git.repositories=pack-1m",
        "server.tomcat.connection-timeout=2s",
        "server.tomcat.keep-alive-timeout=2s",
        "testbed.http.max-header-time=3s",
        "testbed.http.max-handshake-time=3s",
        "testbed.http.max-body-read-time=2s"})
class SlowClientTest {

    @TempDir
    static Path tmp;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry properties) {
        properties.add("testbed.pki.dir", () -> tmp.resolve("pki").toString());
        properties.add("testbed.git.repos-dir", () -> tmp.resolve("repos").toString());
    }

    @TestConfiguration
    static class SmallSendBuffer {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSendBuffer() {
            return factory -> factory.addConnectorCustomizers(connector -> {
                if (!connector.setProperty("socket.txBufSize", "8192")) {
                    throw new IllegalStateException("socket.txBufSize not taken");
                }
            });
        }
    }

    Path ca() {
        return tmp.resolve("pki/ca.crt");
    }

    @Test
    void headersTricklingAByteASecond_areCutOffAtTheHeaderTime() throws Exception {
        byte[] head = "GET /api/repos HTTP/1.1\r\nHost: localhost\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (SSLSocket s = Tls.connect(ca(), port, 0)) {
            long t0 = System.nanoTime();
            int sent = 0;
            try {
                for (; sent < head.length; sent++) {
                    s.getOutputStream().write(head[sent]);
                    s.getOutputStream().flush();
                    s.setSoTimeout(1000);
                    try {
                        if (s.getInputStream().read() < 0) {
                            break;
                        }
                    } catch (SocketTimeoutException stillOpen) {
                        // a second has passed and the connection is open: the next byte
                    }
                }
            } catch (IOException closed) {
                // closed by the server
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(sent).as("bytes sent before the server closed (of %d)", head.length).isLessThan(head.length);
            assertThat(ms).as("ms until the server gave up").isBetween(2_500L, 6_000L);
        }
    }

    /**
     * Sends {@code bytes} a byte a second on a plain socket (no TLS of its own: the bytes are the protocol); the ms
     * until the server closed, or -1 if it kept the connection while every byte was sent.
     */
    static long trickle(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            long t0 = System.nanoTime();
            s.setSoTimeout(1000);
            try {
                for (byte b : bytes) {
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                    try {
                        if (s.getInputStream().read() < 0) {
                            return (System.nanoTime() - t0) / 1_000_000;
                        }
                    } catch (SocketTimeoutException stillOpen) {
                        // a second has passed and the connection is open: the next byte
                    }
                }
            } catch (IOException closed) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            return -1;
        }
    }

    @Test
    void headersTricklingAByteASecond_onTheManagementPort_areCutOffAtTheHeaderTime() throws Exception {
        byte[] head = "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        long ms = trickle(managementPort, head);
        assertThat(ms).as("ms until the management server gave up (-1: never, in %d s)", head.length)
                .isBetween(2_500L, 6_000L);
    }

    @Test
    void aTricklingBody_onTheApi_gets408_withinTheBodyReadTime() throws Exception {
        try (SSLSocket s = Tls.connect(ca(), port, 0)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/repos HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write((i == 0 ? "{" : " ").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(300);
                    }
                } catch (IOException | InterruptedException stopped) {
                    // the server closed the connection
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            String answer = readAll(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            trickle.interrupt();
            assertThat(answer).startsWith("HTTP/1.1 408").contains("testbed.http.max-body-read-time");
            assertThat(ms).as("ms to the 408").isBetween(1_500L, 6_000L);
        }
    }

    @Test
    void aSlowReader_ofALargePack_isNotCut() throws Exception {
        SlowRead read = slowRead(ca(), port, 60_000);
        assertThat(read.cutAfterMs()).as("the server cut the slow reader after %d ms, having sent %d bytes",
                read.cutAfterMs(), read.bytes()).isEqualTo(-1);
        assertThat(read.bytes()).as("the whole response (a ~1 MiB pack)").isGreaterThan(900_000L);
    }

    /**
     * The handshake's bound on its own: with the connection-timeout at its production 20 s, a handshake trickling a
     * byte a second is cut at the 3 s bound. (Tomcat's per-read timeout alone also ends it, at the connection-timeout
     * from the accept, because the handshake's reads do not count as reads for the poller; the bound makes it
     * shorter and explicit.)
     */
    @Nested
    @TestPropertySource(properties = "server.tomcat.connection-timeout=20s")
    class WithTheProductionConnectionTimeout {
        @LocalServerPort
        int ownPort;

        @Test
        void aTlsHandshakeTricklingAByteASecond_isCutOffAtTheHandshakeTime() throws Exception {
            // a TLS record header announcing a 512-byte ClientHello, then its first bytes, each well within the
            // connection-timeout
            byte[] hello = new byte[20];
            byte[] start = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
            System.arraycopy(start, 0, hello, 0, start.length);
            long ms = trickle(ownPort, hello);
            assertThat(ms).as("ms until the server gave up on the handshake (-1: not in %d s)", hello.length)
                    .isBetween(2_500L, 6_000L);
        }
    }

    @Nested
    @TestPropertySource(properties = "testbed.http.write-timeout=0")
    class WithTomcatsOwnWriteTimeout {
        /** This context's port (the enclosing instance holds the other context's). */
        @LocalServerPort
        int ownPort;

        @Test
        void theSameSlowReader_isCut_byTheConnectionTimeout() throws Exception {
            // the server gives up on its blocked write after 2 s; the client notices only when it has read what was
            // already buffered on its side, so the sign is a response cut short, not the moment
            SlowRead read = slowRead(ca(), ownPort, 15_000);
            assertThat(read.bytes()).as("bytes of the ~1 MiB pack that arrived before the server gave up").isLessThan(500_000L);
        }
    }

    /**
     * The reader's pause between two 1 KiB reads: longer than every read-side bound here (2-3 s), as a simulated
     * machine's pause can be longer than the real ones (20 s). A write timeout counts from the last progress, so a
     * pause shorter than the bound would not show which timeout applies.
     */
    static final long PAUSE_MS = 5_000;

    /**
     * @param cutAfterMs when the reader saw the end or a reset during its slow phase, ms after the request; -1 if not
     * @param bytes      everything that arrived, the slow phase and then the rest at full speed until the end
     */
    record SlowRead(long cutAfterMs, long bytes) {
    }

    /**
     * Fetches pack-1m with protocol v0 (refs, then a want of HEAD), reading the pack 1 KiB every {@link #PAUSE_MS} for
     * {@code slowMs} through a 4 KiB receive buffer, then the rest at full speed.
     */
    static SlowRead slowRead(Path ca, int port, long slowMs) throws Exception {
        String head;
        try (SSLSocket s = Tls.connect(ca, port, 0)) {
            s.getOutputStream().write(("GET /pack-1m.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String refs = readAll(s.getInputStream());
            Matcher m = Pattern.compile("([0-9a-f]{40}) HEAD").matcher(refs);
            assertThat(m.find()).as("HEAD in %s", refs).isTrue();
            head = m.group(1);
        }
        String body = pkt("want " + head + "\n") + "0000" + pkt("done\n");
        try (SSLSocket s = Tls.connect(ca, port, 4096)) {
            s.getOutputStream().write(("POST /pack-1m.git/git-upload-pack HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/x-git-upload-pack-request\r\nAccept: application/x-git-upload-pack-result\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            long bytes = 0;
            byte[] buf = new byte[1024];
            try {
                while ((System.nanoTime() - t0) / 1_000_000 < slowMs) {
                    int n = in.readNBytes(buf, 0, buf.length);
                    bytes += n;
                    if (n < buf.length) {
                        return new SlowRead((System.nanoTime() - t0) / 1_000_000, bytes);
                    }
                    Thread.sleep(PAUSE_MS);
                }
                byte[] rest = new byte[65536];
                for (int n; (n = in.read(rest)) >= 0; ) {
                    bytes += n;
                }
                return new SlowRead(-1, bytes);
            } catch (IOException reset) {
                return new SlowRead((System.nanoTime() - t0) / 1_000_000, bytes);
            }
        }
    }

    private static String pkt(String line) {
        return String.format("%04x", line.length() + 4) + line;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open; got '" + b + "'");
        } catch (IOException reset) {
            // a reset is a close too
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
