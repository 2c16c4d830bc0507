package io.testbed.kernel.sim.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 3, on kernel-sim's HTTP port: a request line and headers trickling one byte a second are cut
 * at {@code testbed.http.max-header-time} (here 3 s), although each byte comes well within the 10 s
 * connection-timeout (before {@link io.testbed.web.tomcat.HeaderDeadline}, such a client kept the connection as long as it liked).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "testbed.kernel.grpc.port=0", "testbed.http.max-header-time=3s"})
class SlowHeaderTest {
    @LocalServerPort
    int port;

    @Test
    void headersTricklingAByteASecond_areCutOffAtTheHeaderTime() throws Exception {
        byte[] head = "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket("127.0.0.1", port)) {
            long t0 = System.nanoTime();
            int sent = trickle(s, head);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(sent).as("bytes sent before the server closed (of %d)", head.length).isLessThan(head.length);
            assertThat(ms).as("ms until the server gave up").isBetween(2_500L, 6_000L);
        }
    }

    /** Sends one byte a second until the server closes (or all are sent); returns how many were sent. */
    static int trickle(Socket s, byte[] bytes) throws IOException {
        int sent = 0;
        try {
            for (; sent < bytes.length; sent++) {
                s.getOutputStream().write(bytes[sent]);
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
        return sent;
    }
}
