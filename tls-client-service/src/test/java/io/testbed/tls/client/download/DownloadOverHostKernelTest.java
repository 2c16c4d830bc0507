package io.testbed.tls.client.download;

import io.testbed.kernel.api.Kernel;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.kernel.HostKernel;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.support.ByteFlippingKernel;
import io.testbed.tls.client.support.SilentServer;
import io.testbed.tls.client.support.TestGitServer;
import io.testbed.tls.client.support.TestPki;
import io.testbed.tls.client.transport.IoStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole downloads (TLS handshake, HTTP, smart HTTP, pack verification) through the host kernel
 * against a real HTTPS git server (JGit UploadPack), including the ways a download must fail.
 */
@DisplayName("A download through the host kernel")
class DownloadOverHostKernelTest {
    static final String HOST = "git.testbed";
    static final TestPki.ServerIdentity GOOD = TestPki.CA.issue(HOST, "localhost", "127.0.0.1");
    static TestGitServer server;
    static TestGitServer foreignCaServer;
    static TestGitServer wrongNameServer;
    static SilentServer silent;

    @BeforeAll
    static void start() throws IOException {
        server = new TestGitServer(GOOD.sslContext()).withRepo("pack-1m", 16, 64 * 1024).withRepo("pack-small", 4, 16 * 1024);
        foreignCaServer = new TestGitServer(TestPki.OTHER_CA.issue(HOST).sslContext()).withRepo("pack-small", 4, 16 * 1024);
        wrongNameServer = new TestGitServer(TestPki.CA.issue("other.testbed").sslContext()).withRepo("pack-small", 4, 16 * 1024);
        silent = new SilentServer();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        foreignCaServer.close();
        wrongNameServer.close();
        silent.close();
    }

    static Kernel hostKernel(int port) {
        return new HostKernel(Map.of(HOST + ":443", new InetSocketAddress("127.0.0.1", port)));
    }

    static DownloadPlan plan(String repo, ServerVerifier verifier, PolicySpec policy, UnaryOperator<InputStream> packFilter) {
        return new DownloadPlan("t-" + repo, "host", repo, HOST, 443, TlsEngines.get("bc"),
                new TlsSettings(HOST, verifier, null, null), WouldBlockPolicies.create(policy), 4096,
                FetchOptions.defaults("testbed-test/1").withPackFilter(packFilter));
    }

    static DownloadResult download(Kernel kernel, DownloadPlan plan) {
        return Downloader.run(kernel, plan, new DownloadProgress(new IoStats()));
    }

    static ServerVerifier ca() {
        return ServerVerifier.trusting(java.util.List.of(TestPki.CA.cert()));
    }

    @Nested
    @DisplayName("from a server the CA vouches for")
    class Verified {
        @Test
        @DisplayName("receives the whole pack, verified, with the right object count and figures")
        void download_realPack_verifiedWithObjectCount() {
            DownloadProgress progress = new DownloadProgress(new IoStats());
            DownloadResult r = Downloader.run(hostKernel(server.port()), plan("pack-1m", ca(), PolicySpec.sleep(1, 5000), null), progress);

            assertThat(r.error()).isNull();
            assertThat(r.status()).isEqualTo("succeeded");
            assertThat(r.pack().verified()).isTrue();
            assertThat(r.pack().objects()).isEqualTo(server.objectCount("pack-1m"));
            assertThat(r.pack().sha1()).hasSize(40);
            assertThat(r.bytes()).isGreaterThan(16 * 64 * 1024);
            assertThat(r.io().tlsBytes()).isGreaterThan(r.bytes());
            assertThat(r.io().tlsRecords()).isGreaterThan(r.bytes() / 16_400);
            assertThat(r.io().reads()).isGreaterThan(r.io().tlsBytes() / 4097);
            assertThat(r.simulatedNs()).isPositive();
            assertThat(r.timing().handshakeNs()).isPositive().isLessThan(r.simulatedNs());
            assertThat(r.waits().sleepNs()).isGreaterThanOrEqualTo(r.waits().sleeps() * 1_000_000L);
            assertThat(r.tls().tlsProtocol()).isEqualTo("TLSv1.3");
            assertThat(r.tls().cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
            assertThat(r.git().ref()).isEqualTo("HEAD");
            assertThat(progress.packBytes()).isEqualTo(r.bytes());
            assertThat(progress.averageBytesPerSecond()).isPositive();
            assertThat(progress.instantBytesPerSecond()).isPositive();
            System.out.printf("pack-1m via HostKernel: bytes=%d tlsBytes=%d records=%d reads=%d wouldBlocks=%d sleeps=%d "
                            + "sleepMs=%.1f handshakeMs=%.1f simulatedMs=%.1f wallMs=%.1f throughput=%.1f MB/s%n",
                    r.bytes(), r.io().tlsBytes(), r.io().tlsRecords(), r.io().reads(), r.waits().wouldBlocks(), r.waits().sleeps(), r.waits().sleepNs() / 1e6,
                    r.timing().handshakeNs() / 1e6, r.simulatedNs() / 1e6, r.timing().wallNs() / 1e6, r.timing().throughputBytesPerSecond() / 1e6);
        }

        @Test
        @DisplayName("fails with the server's own message when the server reports an error on band 3")
        void download_band3Error_failsWithServerMessage() {
            DownloadResult r = download(hostKernel(server.port()), plan("broken", ca(), PolicySpec.sleep(1, 5000), null));

            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).isEqualTo("git_server");
            assertThat(r.error()).contains(TestGitServer.BAND3_MESSAGE);
        }

        @Test
        @DisplayName("fails with an HTTP 404 for a repository the server does not have")
        void download_unknownRepo_failsWithHttp404() {
            DownloadResult r = download(hostKernel(server.port()), plan("no-such-repo", ca(), PolicySpec.sleep(1, 5000), null));

            assertThat(r.reason()).isEqualTo("http");
            assertThat(r.error()).contains("HTTP 404");
        }

        @Test
        @DisplayName("detects a flipped ciphertext byte as a TLS record MAC failure")
        void download_ciphertextByteFlipped_failsWithBadRecordMac() {
            Kernel flipping = new ByteFlippingKernel(hostKernel(server.port()), 200_000);
            DownloadResult r = download(flipping, plan("pack-1m", ca(), PolicySpec.sleep(1, 5000), null));

            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).as(r.error()).isEqualTo("tls");
            assertThat(r.error()).startsWith("TLS failed: bad_record_mac");
            assertThat(r.pack()).isNull();
        }

        @Test
        @DisplayName("has the pack parser reject a byte flipped after decryption")
        void download_packByteFlippedAfterDecryption_packRejected() {
            DownloadResult r = download(hostKernel(server.port()),
                    plan("pack-1m", ca(), PolicySpec.sleep(1, 5000), in -> new FlipAt(in, 300_000)));

            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).isEqualTo("pack_rejected");
            assertThat(r.error()).startsWith("pack rejected:");
            assertThat(r.pack()).isNull();
        }
    }

    @Nested
    @DisplayName("from a server the CA does not vouch for")
    class Unverified {
        @Test
        @DisplayName("fails the handshake when the certificate is from another CA")
        void download_certificateFromAnotherCa_failsNotTrusted() {
            DownloadResult r = download(hostKernel(foreignCaServer.port()), plan("pack-small", ca(), PolicySpec.sleep(1, 5000), null));

            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).isEqualTo("certificate");
            assertThat(r.error()).startsWith("TLS handshake failed: certificate not trusted:");
            assertThat(r.bytes()).isZero();
        }

        @Test
        @DisplayName("fails the handshake when the certificate does not name the host")
        void download_certificateForAnotherName_failsNameMismatch() {
            DownloadResult r = download(hostKernel(wrongNameServer.port()), plan("pack-small", ca(), PolicySpec.sleep(1, 5000), null));

            assertThat(r.reason()).isEqualTo("certificate");
            assertThat(r.error()).isEqualTo("TLS handshake failed: host name git.testbed does not match certificate names [other.testbed]");
        }

        @Test
        @DisplayName("succeeds with verify none, which is labelled as such")
        void download_verifyNone_succeedsLabelledNone() {
            ServerVerifier none = ServerVerifier.none();
            DownloadResult r = download(hostKernel(foreignCaServer.port()), plan("pack-small", none, PolicySpec.sleep(1, 5000), null));

            assertThat(r.error()).isNull();
            assertThat(r.pack().verified()).isTrue();
            assertThat(none.label()).isEqualTo("none");
        }
    }

    @Nested
    @DisplayName("from a server that never answers or is not there")
    class Silent {
        @Test
        @DisplayName("gives up after idleTimeoutReads consecutive empty reads")
        void download_serverSilent_idleTimeoutAfterNEmptyReads() {
            DownloadResult r = download(hostKernel(silent.port()), plan("pack-small", ca(), PolicySpec.sleep(1, 20), null));

            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.reason()).isEqualTo("idle_timeout");
            assertThat(r.error()).isEqualTo("idle timeout after 20 empty reads");
            assertThat(r.waits().wouldBlocks()).isEqualTo(20);
            assertThat(r.waits().sleeps()).isEqualTo(19);
            assertThat(r.waits().sleepNs()).isGreaterThanOrEqualTo(19 * 1_000_000L);
        }

        @Test
        @DisplayName("fails with ECONNREFUSED for a host the kernel does not map")
        void download_unmappedHost_connectionRefused() {
            DownloadResult r = download(new HostKernel(Map.of()), plan("pack-small", ca(), PolicySpec.sleep(1, 20), null));

            assertThat(r.reason()).isEqualTo("connection_refused");
            assertThat(r.error()).isEqualTo("connect failed: ECONNREFUSED (git.testbed:443)");
        }
    }

    /** Flips one bit of the decrypted pack stream at a given offset. */
    static final class FlipAt extends FilterInputStream {
        private final long offset;
        private long pos;

        FlipAt(InputStream in, long offset) {
            super(in);
            this.offset = offset;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && offset >= pos && offset < pos + n) {
                b[off + (int) (offset - pos)] ^= 0x01;
            }
            pos += Math.max(n, 0);
            return n;
        }
    }
}
