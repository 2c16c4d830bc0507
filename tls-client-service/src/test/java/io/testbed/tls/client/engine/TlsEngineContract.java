package io.testbed.tls.client.engine;

import io.testbed.kernel.api.UserThread;
import io.testbed.tls.client.kernel.HostKernel;
import io.testbed.tls.client.policy.SleepOnWouldBlock;
import io.testbed.tls.client.support.TestGitServer;
import io.testbed.tls.client.support.TestPki;
import io.testbed.tls.client.transport.AccountingThread;
import io.testbed.tls.client.transport.IoStats;
import io.testbed.tls.client.transport.SyscallSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every TLS engine must do over a syscall socket; one subclass per engine. */
abstract class TlsEngineContract {
    static TestGitServer good;
    static TestGitServer foreign;
    static TestGitServer wrongName;

    abstract TlsEngine engine();

    @BeforeAll
    static void start() throws IOException {
        good = new TestGitServer(TestPki.CA.issue("git.testbed", "127.0.0.1").sslContext());
        foreign = new TestGitServer(TestPki.OTHER_CA.issue("git.testbed").sslContext());
        wrongName = new TestGitServer(TestPki.CA.issue("other.testbed").sslContext());
    }

    @AfterAll
    static void stop() {
        good.close();
        foreign.close();
        wrongName.close();
    }

    TlsConnection handshake(TestGitServer server, ServerVerifier verifier, IoStats stats) throws IOException {
        UserThread raw = new HostKernel(Map.of("git.testbed:443", new InetSocketAddress("127.0.0.1", server.port())))
                .attach("host", "engine-test");
        SyscallSocket socket = SyscallSocket.connect(new AccountingThread(raw, stats), "git.testbed", 443,
                new SleepOnWouldBlock(1, 5000), 4096);
        try {
            return engine().handshake(socket, new TlsSettings("git.testbed", verifier, null, null));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static ServerVerifier ca() {
        return ServerVerifier.trusting(List.of(TestPki.CA.cert()));
    }

    @Nested
    @DisplayName("with a server the CA vouches for")
    class Trusted {
        @Test
        @DisplayName("negotiates Akuma's TLS 1.3 suite and carries an HTTP exchange")
        void handshake_trusted_negotiatesAkumaSuiteAndCarriesData() throws IOException {
            IoStats stats = new IoStats();
            try (TlsConnection c = handshake(good, ca(), stats)) {
                assertThat(c.protocol()).isEqualTo("TLSv1.3");
                assertThat(c.cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
                c.output().write("GET /nothing.git/info/refs HTTP/1.1\r\nHost: git.testbed\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(response).startsWith("HTTP/1.1 404");
            }
            assertThat(stats.tlsRecords()).isGreaterThanOrEqualTo(3);
            assertThat(stats.bytesReceived()).isPositive();
        }
    }

    @Nested
    @DisplayName("with a server the CA does not vouch for")
    class Untrusted {
        @Test
        @DisplayName("refuses a certificate from another CA")
        void handshake_foreignCa_refused() {
            assertThatThrownBy(() -> handshake(foreign, ca(), new IoStats()))
                    .hasMessageContaining("certificate not trusted");
        }

        @Test
        @DisplayName("refuses a certificate for another name")
        void handshake_wrongName_refused() {
            assertThatThrownBy(() -> handshake(wrongName, ca(), new IoStats()))
                    .hasMessageContaining("host name git.testbed does not match certificate names [other.testbed]");
        }

        @Test
        @DisplayName("accepts anything with verify none")
        void handshake_verifyNone_accepted() throws IOException {
            try (TlsConnection c = handshake(foreign, ServerVerifier.none(), new IoStats())) {
                assertThat(c.protocol()).isEqualTo("TLSv1.3");
            }
        }
    }
}
