package io.testbed.tls.client.engine;

import io.testbed.kernel.api.UserThread;
import io.testbed.tls.client.download.DownloadPlan;
import io.testbed.tls.client.download.DownloadProgress;
import io.testbed.tls.client.download.DownloadResult;
import io.testbed.tls.client.download.Downloader;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.kernel.HostKernel;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.SleepOnWouldBlock;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.SimulatedMachines;
import io.testbed.tls.client.support.TestGitServer;
import io.testbed.tls.client.support.TestPki;
import io.testbed.tls.client.transport.AccountingThread;
import io.testbed.tls.client.transport.IoStats;
import io.testbed.tls.client.transport.SyscallSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

/**
 * What every TLS engine must do; one subclass per engine. The downloads run through a simulated
 * Akuma machine (kernel-sim in-process, virtual clock) against the real git server; the negative
 * cases reach, through the machine's allow-list, a server whose certificate comes from another CA
 * ({@code git.testbed:444}) and the real server under a name its certificate does not carry
 * ({@code wrong.testbed}).
 */
abstract class TlsEngineContract {
    static TestGitServer good;
    static SimulatedMachines sim;
    String machine;

    abstract TlsEngine engine();

    @Test
    @DisplayName("refuses an unknown version or suite before connecting")
    void validate_unknownVersionOrSuite_refused() {
        assertThatThrownBy(() -> engine().validate(new TlsSettings("h", ServerVerifier.none(), List.of("SSLv3"), null)))
                .hasMessageContaining("unsupported TLS version 'SSLv3'");
        assertThatThrownBy(() -> engine().validate(new TlsSettings("h", ServerVerifier.none(), null, List.of("X"))))
                .hasMessageContaining("unknown cipher suite 'X'");
    }

    @BeforeAll
    static void start() throws IOException {
        good = new TestGitServer(TestPki.CA.issue("git.testbed", "127.0.0.1").sslContext());
        sim = SimulatedMachines.get();
    }

    @AfterAll
    static void stop() {
        good.close();
    }

    @BeforeEach
    void createMachine() {
        machine = sim.create(SimulatedMachines.AKUMA, Map.of());
    }

    @AfterEach
    void deleteMachine() {
        sim.delete(machine);
    }

    ServerVerifier testbedCa() throws IOException {
        return ServerVerifier.fromCaFile(sim.git().caFile());
    }

    DownloadResult download(String host, int port, String repo, ServerVerifier verifier) {
        DownloadPlan plan = new DownloadPlan(engine().name() + "-" + repo, machine, repo, host, port, engine(),
                new TlsSettings(host, verifier, null, null), WouldBlockPolicies.create(PolicySpec.sleep(1, 5000)), 4096,
                FetchOptions.defaults("testbed-test/1"));
        return Downloader.run(sim.kernel(), plan, new DownloadProgress(new IoStats()));
    }

    @Nested
    @DisplayName("through a simulated Akuma machine (virtual clock)")
    class ThroughTheSimulatedKernel {
        @Test
        @DisplayName("handshakes with Akuma's TLS 1.3 suite and downloads pack-1m to a verified pack")
        void download_pack1m_verifiedPack() throws IOException {
            DownloadResult r = download("git.testbed", 443, "pack-1m", testbedCa());

            assertThat(r.error()).isNull();
            assertThat(r.pack().verified()).isTrue();
            assertThat(r.pack().objects()).isEqualTo(sim.git().objects("pack-1m"));
            assertThat(r.bytes()).isGreaterThan(1024 * 1024);
            assertThat(r.tls().tlsProtocol()).isEqualTo("TLSv1.3");
            assertThat(r.tls().cipherSuite()).isEqualTo(expectedSuite());
            assertThat(r.verify()).isEqualTo("ca");
            assertThat(r.timing().handshakeNs()).isPositive().isLessThan(r.simulatedNs());
            assertThat(r.io().tlsRecords()).isEqualTo(r.io().recordSizes().count()).isGreaterThan(r.bytes() / 16_400);
            assertThat(r.io().recordSizes().max()).isLessThanOrEqualTo(16_384 + 256);
            assertThat(r.io().readSizes().max()).isLessThanOrEqualTo(4096);
            assertThat(r.io().connections()).isEqualTo(2);
            System.out.printf("%s pack-1m on %s: simulated %.3f s, handshake %.1f ms, records %d (mean %.0f B), reads %d "
                            + "(mean %.0f B), would-blocks %d, sleeps %d, wall %.2f s%n", engine().name(), SimulatedMachines.AKUMA,
                    r.simulatedNs() / 1e9, r.timing().handshakeNs() / 1e6, r.io().tlsRecords(), r.io().recordSizes().mean(), r.io().reads(),
                    r.io().bytesPerRead(), r.waits().wouldBlocks(), r.waits().sleeps(), r.timing().wallNs() / 1e9);
        }

        @Test
        @DisplayName("refuses a server certificate from another CA, saying so")
        void download_certificateFromAnotherCa_failsNotTrusted() throws IOException {
            DownloadResult r = download("git.testbed", SimulatedMachines.FOREIGN_CA_PORT, "pack-small", testbedCa());

            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).as(r.error()).isEqualTo("certificate");
            assertThat(r.error()).startsWith("TLS handshake failed: certificate not trusted:");
            assertThat(r.bytes()).isZero();
        }

        @Test
        @DisplayName("refuses a certificate that does not name the host, saying which names it has")
        void download_hostNameMismatch_failsNameMismatch() throws IOException {
            DownloadResult r = download("wrong.testbed", 443, "pack-256k", testbedCa());

            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).as(r.error()).isEqualTo("certificate");
            assertThat(r.error()).startsWith("TLS handshake failed: host name wrong.testbed does not match certificate names "
                    + "[git.testbed, localhost, git-http-server, 127.0.0.1]");
        }

        @Test
        @DisplayName("refuses an expired server certificate from a trusted CA, saying so")
        void download_expiredCertificate_failsNotTrusted() {
            DownloadResult r = download("git.testbed", SimulatedMachines.EXPIRED_PORT, "pack-small",
                    ServerVerifier.trusting(List.of(TestPki.CA.cert())));

            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).as(r.error()).isEqualTo("certificate");
            assertThat(r.error()).startsWith("TLS handshake failed: certificate not trusted:");
            assertThat(r.error().toLowerCase(java.util.Locale.ROOT)).containsAnyOf("expired", "validity", "notafter");
            assertThat(r.bytes()).isZero();
        }

        @Test
        @DisplayName("with verify none accepts the other CA's server, and the result says none")
        void download_verifyNone_succeedsLabelledNone() {
            DownloadResult r = download("git.testbed", SimulatedMachines.FOREIGN_CA_PORT, "pack-small", ServerVerifier.none());

            assertThat(r.error()).isNull();
            assertThat(r.pack().verified()).isTrue();
            assertThat(r.verify()).isEqualTo("none");
        }
    }

    /** The suite the engine negotiates when asked for Akuma's only suite. */
    String expectedSuite() {
        return "TLS_AES_128_GCM_SHA256";
    }

    @Nested
    @DisplayName("over a syscall socket on the host kernel")
    class OverTheHostKernel {
        @Test
        @DisplayName("carries an HTTP exchange and counts the records it received")
        void handshake_trusted_carriesAnHttpExchange() throws IOException {
            IoStats stats = new IoStats();
            UserThread raw = new HostKernel(Map.of("git.testbed:443", new InetSocketAddress("127.0.0.1", good.port())))
                    .attach("host", "engine-test");
            SyscallSocket socket = SyscallSocket.connect(new AccountingThread(raw, stats), "git.testbed", 443,
                    new SleepOnWouldBlock(1, 5000), 4096);
            try (TlsConnection c = engine().handshake(socket, new TlsSettings("git.testbed",
                    ServerVerifier.trusting(List.of(TestPki.CA.cert())), null, null))) {
                assertThat(c.protocol()).isEqualTo("TLSv1.3");
                c.output().write("GET /nothing.git/info/refs HTTP/1.1\r\nHost: git.testbed\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(response).startsWith("HTTP/1.1 404");
            } finally {
                raw.close();
            }
            assertThat(stats.tlsRecords()).isGreaterThanOrEqualTo(3);
            assertThat(stats.recordSizes().count()).isEqualTo(stats.tlsRecords());
        }
    }
}
