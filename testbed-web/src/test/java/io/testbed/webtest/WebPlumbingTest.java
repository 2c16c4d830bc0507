package io.testbed.webtest;

import io.testbed.web.tomcat.HeaderDeadline;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * testbed-web in a running service: the header bound on the main port and on a management port of its own,
 * {@code /error} answered 404, and the bearer token beyond loopback with a service's open writes.
 */
class WebPlumbingTest {

    static final String TOKEN = "0123456789abcdef0123";

    /** Sends {@code head} a byte a second; the ms until the server closed, or -1 if it never did. */
    static long trickle(int port, byte[] head) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            long t0 = System.nanoTime();
            s.setSoTimeout(1000);
            try {
                for (byte b : head) {
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

    static final byte[] SLOW_HEAD = "GET /thing HTTP/1.1\r\nHost: localhost\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    static String send(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Nested
    @SpringBootTest(classes = WebTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
            "server.tomcat.connection-timeout=10s", "testbed.http.max-header-time=3s"})
    class OnLoopback {
        @LocalServerPort
        int port;
        @LocalManagementPort
        int managementPort;

        @Test
        void headersTricklingAByteASecond_areCut_atTheHeaderTime() throws Exception {
            assertThat(trickle(port, SLOW_HEAD)).as("ms until the server closed").isBetween(2_500L, 6_000L);
        }

        @Test
        void onTheManagementPortOfItsOwn_too() throws Exception {
            assertThat(trickle(managementPort, SLOW_HEAD)).as("ms until the management server closed").isBetween(2_500L, 6_000L);
        }

        @Test
        void errorAskedForDirectly_is404() throws Exception {
            assertThat(send(port, "GET /error HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 404").contains("internal error page");
        }

        @Test
        void writesNeedNoToken_onLoopback() throws Exception {
            assertThat(send(port, "POST /thing HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200").endsWith("written");
        }
    }

    @Nested
    @SpringBootTest(classes = WebTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "server.address=0.0.0.0", "testbed.security.token=" + TOKEN})
    class BeyondLoopback {
        @LocalServerPort
        int port;

        HttpResponse<String> call(String method, String path, String authorization) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Test
        void aWrite_withoutOrWithAnotherToken_is401_withTheToken_served() throws Exception {
            HttpResponse<String> none = call("POST", "/thing", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"testbed\"");
            assertThat(none.body()).contains("\"status\":401");
            assertThat(call("POST", "/thing", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
            assertThat(call("POST", "/thing", "Basic " + TOKEN).statusCode()).isEqualTo(401);
            assertThat(call("DELETE", "/thing", null).statusCode()).isEqualTo(401);
            HttpResponse<String> with = call("POST", "/thing", "bearer " + TOKEN);
            assertThat(with.statusCode()).isEqualTo(200);
            assertThat(with.body()).isEqualTo("written");
        }

        @Test
        void readsAndTheServicesOpenWrites_needNone() throws Exception {
            assertThat(call("GET", "/thing", null).body()).isEqualTo("read");
            assertThat(call("POST", "/open", null).body()).isEqualTo("open");
        }
    }

    @Test
    void openedBeyondLoopbackWithoutAToken_theServiceDoesNotStart() {
        SpringApplication app = new SpringApplication(WebTestApp.class);
        assertThatThrownBy(() -> {
            try (ConfigurableApplicationContext ignored = app.run("--server.port=0", "--server.address=0.0.0.0",
                    "--spring.application.name=web-test-service")) {
                // started: the assertion below fails
            }
        }).hasStackTraceContaining("web-test-service binds beyond loopback (server.address=0.0.0.0)")
                .hasStackTraceContaining("testbed.security.token");
    }

    @Test
    void theProtocolCarriesItsBounds() {
        HeaderDeadline.Protocol protocol = new HeaderDeadline.Protocol();
        protocol.deadlines().setMaxHeaderTime(1234);
        assertThat(protocol.deadlines().getMaxHeaderTime()).isEqualTo(1234);
        assertThat(protocol.deadlines().getMaxHandshakeTime()).isEqualTo(10_000);
    }
}
