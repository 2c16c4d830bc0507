package io.testbed.tls.client.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 3, on tls-client's port: a request line and headers trickling one byte a second are cut at
 * {@code testbed.http.max-header-time} (here 3 s) although each byte comes within the 10 s connection-timeout,
 * and a body trickling a byte every 300 ms gets 408 at {@code testbed.http.max-body-read-time} (here 1 s).
 * Before, tls-client kept Tomcat's 60 s per read and no bound on the whole.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.kernels.default=127.0.0.1:1", "testbed.http.max-header-time=3s", "testbed.http.max-body-read-time=1s"})
class SlowClientTest {
    @LocalServerPort
    int port;

    @Test
    void headersTricklingAByteASecond_areCutOffAtTheHeaderTime() throws Exception {
        byte[] head = "POST /api/policies/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Pad: aaaaaaaaaaaaaaaa\r\n"
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
            } catch (IOException closed) {
                // closed by the server
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(sent).as("bytes sent before the server closed (of %d)", head.length).isLessThan(head.length);
            assertThat(ms).as("ms until the server gave up").isBetween(2_500L, 6_000L);
        }
    }

    @Test
    void aTricklingChunkedBody_gets408_withinTheBodyReadTime() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /api/policies/check HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write(("1\r\n" + (i == 0 ? "{" : " ") + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(300);
                    }
                } catch (IOException | InterruptedException stopped) {
                    // the server closed the connection
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            try {
                in.transferTo(answer);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the connection open; got '" + answer + "'");
            } catch (IOException reset) {
                // a reset is a close too
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            trickle.interrupt();
            assertThat(answer.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 408").contains("testbed.http.max-body-read-time");
            assertThat(ms).as("ms to the 408").isBetween(900L, 5_000L);
        }
    }
}
