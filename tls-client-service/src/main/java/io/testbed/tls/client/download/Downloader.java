package io.testbed.tls.client.download;

import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.tls.client.cpu.UserCpuAccounting;
import io.testbed.tls.client.cpu.UserCpuModes;
import io.testbed.tls.client.engine.TlsConnection;
import io.testbed.tls.client.git.FetchResult;
import io.testbed.tls.client.git.GitFetcher;
import io.testbed.tls.client.http.ConnectionFactory;
import io.testbed.tls.client.http.HttpClient;
import io.testbed.tls.client.transport.AccountingThread;
import io.testbed.tls.client.transport.IoStats;
import io.testbed.tls.client.transport.SyscallException;
import io.testbed.tls.client.transport.SyscallSocket;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs one download on the calling (Java) thread as one simulated process: attach a user thread
 * {@code download-<id>} to the machine, fetch the repository's default ref over smart HTTP (a new
 * TLS connection per request, or one kept alive), verify the pack, exit. The thread is attached
 * only once everything else is ready, and every step after it is a syscall or the client's own
 * work, so it never holds the virtual clock waiting on something else. Free of Spring, so tests
 * and benchmarks can use it with any {@link Kernel} binding.
 */
public final class Downloader {

    private Downloader() {
    }

    /** Never throws for a failed download: the failure is the result. */
    public static DownloadResult run(Kernel kernel, DownloadPlan plan, DownloadProgress progress) {
        if (plan.scratch()) {
            return ScratchDownloader.run(kernel, plan, progress, null);
        }
        long wallStart = System.nanoTime();
        IoStats stats = progress.stats();
        Handshake handshake = new Handshake();
        GitFetcher fetcher = null;
        UserThread raw = null;
        String cpuLabel = null;
        try {
            UserCpuAccounting cpu = UserCpuModes.create(plan.cpu());
            cpuLabel = cpu.label();
            raw = kernel.attach(plan.machineId(), "download-" + plan.id(), plan.id());
            AccountingThread thread = new AccountingThread(raw, stats, cpu);
            ConnectionFactory connections = () -> connect(thread, plan, handshake);
            try (HttpClient http = new HttpClient(connections, plan.host(), plan.port(), plan.fetch().agent(), plan.keepAlive())) {
                fetcher = new GitFetcher(http, plan.fetch().withListener(progress::update).withPackConsumed(cpu::packParsed));
                FetchResult fetched = fetcher.fetch(plan.repo());
                http.close(); // the kept connection's close_notify belongs to the download's time
                progress.settle(fetcher.packBytes());
                return result(null, stats, fetcher.packBytes(), wallStart, handshake, cpuLabel,
                        plan.tls().verifier().label(),
                        new DownloadResult.Pack(fetched.packSha1(), fetched.objects(), fetched.verified()),
                        new DownloadResult.Git(fetched.ref(), fetched.commit(), fetched.serverProgress()));
            }
        } catch (IOException | RuntimeException e) {
            progress.settle(fetcher == null ? 0 : fetcher.packBytes());
            return result(e, stats, fetcher == null ? 0 : fetcher.packBytes(), wallStart, handshake, cpuLabel,
                    plan.tls().verifier().label(), null, DownloadResult.Git.NONE);
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
        return connect(thread, plan, handshake, () -> { });
    }

    /** socket + connect, then {@code afterConnect}, then the handshake; the first one's figures go to {@code handshake}. */
    static TlsConnection connect(AccountingThread thread, DownloadPlan plan, Handshake handshake, Runnable afterConnect)
            throws IOException {
        thread.stats().connection();
        SyscallSocket socket = SyscallSocket.connect(thread, plan.host(), plan.port(), plan.policy(), plan.readSize());
        long connected = thread.stats().lastExitNs();
        try {
            afterConnect.run();
            thread.cpu().handshake();
            TlsConnection connection = plan.engine().handshake(socket, plan.tls());
            thread.stats().handshake(thread.stats().lastExitNs() - connected);
            if (handshake.ns < 0) {
                handshake.ns = thread.stats().lastExitNs() - connected;
                handshake.protocol = connection.protocol();
                handshake.cipherSuite = connection.cipherSuite();
            }
            return new Decrypted(connection, socket, thread.cpu());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * The figures {@code stats} and {@code handshake} hold after a download that ended with
     * {@code failure} (null: it succeeded).
     */
    static DownloadResult result(Throwable failure, IoStats stats, long packBytes, long wallStart, Handshake handshake,
                                 String cpuLabel, String verify, DownloadResult.Pack pack, DownloadResult.Git git) {
        return new DownloadResult(failure == null ? DownloadResult.SUCCEEDED : DownloadResult.FAILED,
                failure == null ? null : FailureReason.message(failure), failure == null ? null : FailureReason.of(failure),
                verify, DownloadResult.Timing.of(stats, packBytes, System.nanoTime() - wallStart, Math.max(0, handshake.ns)),
                DownloadResult.Io.of(stats, packBytes), DownloadResult.Waits.of(stats),
                new DownloadResult.CpuUse(cpuLabel, stats.userCpuNs()),
                new DownloadResult.Tls(handshake.protocol, handshake.cipherSuite), pack, git, null);
    }

    static final class Handshake {
        long ns = -1;
        String protocol;
        String cipherSuite;
    }

    /** Tells the CPU accounting how many bytes came out of decryption. */
    private static final class Decrypted implements TlsConnection {
        private final TlsConnection delegate;
        private final SyscallSocket socket;
        private final InputStream input;

        Decrypted(TlsConnection delegate, SyscallSocket socket, UserCpuAccounting cpu) {
            this.delegate = delegate;
            this.socket = socket;
            this.input = new FilterInputStream(delegate.input()) {
                @Override
                public int read() throws IOException {
                    int b;
                    try {
                        b = super.read();
                    } catch (IOException e) {
                        throw resetOr(e);
                    }
                    if (b >= 0) {
                        cpu.decrypted(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n;
                    try {
                        n = super.read(b, off, len);
                    } catch (IOException e) {
                        throw resetOr(e);
                    }
                    if (n > 0) {
                        cpu.decrypted(n);
                    }
                    return n;
                }
            };
        }

        /** A TLS engine that failed at a cut stream (no close_notify, a partial record): say reset if it was one. */
        private IOException resetOr(IOException e) {
            if (e instanceof SyscallException || e instanceof io.testbed.tls.client.transport.IdleTimeoutException
                    || e instanceof java.io.InterruptedIOException || !socket.peerReset()) {
                return e;
            }
            SyscallException reset = new SyscallException("recvfrom", io.testbed.kernel.api.Errno.ECONNRESET,
                    "the server reset the connection: " + FailureReason.message(e));
            reset.initCause(e);
            return reset;
        }

        @Override
        public boolean peerReset() {
            return socket.peerReset();
        }

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return delegate.output();
        }

        @Override
        public String protocol() {
            return delegate.protocol();
        }

        @Override
        public String cipherSuite() {
            return delegate.cipherSuite();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
