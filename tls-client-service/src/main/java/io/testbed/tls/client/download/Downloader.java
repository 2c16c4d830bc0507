package io.testbed.tls.client.download;

import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.tls.client.engine.TlsConnection;
import io.testbed.tls.client.git.FetchResult;
import io.testbed.tls.client.git.GitFetcher;
import io.testbed.tls.client.http.ConnectionFactory;
import io.testbed.tls.client.http.HttpClient;
import io.testbed.tls.client.transport.AccountingThread;
import io.testbed.tls.client.transport.IoStats;
import io.testbed.tls.client.transport.SyscallSocket;

import java.io.IOException;
import java.util.List;

/**
 * Runs one download on the calling (Java) thread as one simulated process: attach a user thread
 * {@code download-<id>} to the machine, fetch the repository's default ref over smart HTTP with a new
 * TLS connection per request, verify the pack, exit. Free of Spring, so tests and benchmarks can
 * use it with any {@link Kernel} binding.
 */
public final class Downloader {

    private Downloader() {
    }

    /** Never throws for a failed download: the failure is the result. */
    public static DownloadResult run(Kernel kernel, DownloadPlan plan, DownloadProgress progress) {
        long wallStart = System.nanoTime();
        IoStats stats = progress.stats();
        Handshake handshake = new Handshake();
        GitFetcher fetcher = null;
        UserThread raw = null;
        try {
            raw = kernel.attach(plan.machineId(), "download-" + plan.id());
            AccountingThread thread = new AccountingThread(raw, stats);
            ConnectionFactory connections = () -> connect(thread, plan, handshake);
            HttpClient http = new HttpClient(connections, plan.host(), plan.port(), plan.fetch().agent());
            fetcher = new GitFetcher(http, plan.fetch().withListener(progress::update));
            FetchResult fetched = fetcher.fetch(plan.repo());
            return result(DownloadResult.SUCCEEDED, null, null, stats, fetcher.packBytes(), wallStart, handshake,
                    new DownloadResult.Pack(fetched.packSha1(), fetched.objects(), fetched.verified()),
                    fetched.ref(), fetched.commit(), fetched.serverProgress());
        } catch (IOException | RuntimeException e) {
            return result(DownloadResult.FAILED, FailureReason.message(e), FailureReason.of(e), stats,
                    fetcher == null ? 0 : fetcher.packBytes(), wallStart, handshake, null, null, null, List.of());
        } finally {
            if (raw != null) {
                try {
                    raw.close();
                } catch (RuntimeException ignored) {
                    // the thread is gone either way
                }
            }
        }
    }

    private static TlsConnection connect(AccountingThread thread, DownloadPlan plan, Handshake handshake) throws IOException {
        SyscallSocket socket = SyscallSocket.connect(thread, plan.host(), plan.port(), plan.policy(), plan.readSize());
        long connected = thread.stats().lastExitNs();
        try {
            TlsConnection connection = plan.engine().handshake(socket, plan.tls());
            if (handshake.ns < 0) {
                handshake.ns = thread.stats().lastExitNs() - connected;
                handshake.protocol = connection.protocol();
                handshake.cipherSuite = connection.cipherSuite();
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static DownloadResult result(String status, String error, String reason, IoStats stats, long packBytes,
                                         long wallStart, Handshake handshake, DownloadResult.Pack pack, String ref,
                                         String commit, List<String> serverProgress) {
        long simulatedNs = stats.elapsedNs();
        double throughput = simulatedNs > 0 ? packBytes * 1e9 / simulatedNs : 0;
        return new DownloadResult(status, error, reason, packBytes, stats.bytesReceived(), simulatedNs,
                System.nanoTime() - wallStart, Math.max(0, handshake.ns), stats.wouldBlocks(), stats.sleeps(),
                stats.sleepNs(), stats.reads(), stats.tlsRecords(), stats.syscalls(), throughput, pack,
                handshake.protocol, handshake.cipherSuite, ref, commit, serverProgress);
    }

    private static final class Handshake {
        long ns = -1;
        String protocol;
        String cipherSuite;
    }
}
