package io.testbed.gateway.web;

import io.testbed.gateway.fakes.FakeGitServer;
import io.testbed.gateway.fakes.Fakes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 3: a client cannot pin a request thread with slow headers or a never-ending body.
 * Headers must arrive within Tomcat's connection-timeout (the gateway's default, 10 s), and a body within
 * {@code testbed.api.max-body-read-time} (here 1 s): a trickling body gets 408 and the connection closes. The line
 * and headers together must arrive within {@code testbed.http.max-header-time} (here 3 s), however they trickle.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.api.max-body-read-time=1s", "testbed.http.max-header-time=3s"})
class SlowClientTest {

    static final Fakes.Own FAKES = Fakes.own(FakeGitServer.REPOS_WITH_SIZES, null);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        FAKES.register(registry);
    }

    @AfterAll
    static void closeFakes() throws Exception {
        FAKES.close();
    }

    @Test
    void headersThatStop_areCutOffAtTheHeaderTime() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            long t0 = System.nanoTime();
            s.getOutputStream().write("POST /api/downloads HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = readUntilClosed(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("ms until the server gave up (answer '%s')", answer).isBetween(2_500L, 6_000L);
        }
    }

    @Test
    void headersTricklingAByteASecond_areCutOffAtTheHeaderTime() throws Exception {
        // testbed.http.max-header-time (10 s by default, 3 s here) bounds the line and headers in all: each byte
        // arriving within the connection-timeout no longer keeps the connection
        byte[] head = "POST /api/downloads HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket("127.0.0.1", port)) {
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
            } catch (IOException reset) {
                // closed by the server
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(sent).as("bytes sent before the server closed (of %d)", head.length).isLessThan(head.length);
            assertThat(ms).as("ms until the server gave up").isBetween(2_500L, 6_000L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chunked", "content-length"})
    void aTricklingBody_gets408_withinTheBodyReadTime(String framing) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(8_000);
            OutputStream out = s.getOutputStream();
            String head = "POST /api/downloads HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + (framing.equals("chunked") ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 4000\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        String piece = i == 0 ? "{" : " ";
                        out.write((framing.equals("chunked") ? "1\r\n" + piece + "\r\n" : piece).getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(300);
                    }
                } catch (IOException | InterruptedException stopped) {
                    // the server closed the connection, as it should
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            String answer = readUntilClosed(s.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            trickle.interrupt();
            assertThat(answer).startsWith("HTTP/1.1 408").contains("testbed.api.max-body-read-time");
            assertThat(ms).as("ms to the 408").isLessThan(5_000);
        }
    }

    /** Everything the server sends until it closes (or the socket timeout passes: then the test fails). */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.write(buf, 0, n);
                if (b.toString(StandardCharsets.US_ASCII).contains("\r\n0\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open; got '" + b + "'");
        } catch (IOException reset) {
            // a reset is a close too
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
