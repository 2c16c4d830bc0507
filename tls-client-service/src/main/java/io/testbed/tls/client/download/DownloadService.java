package io.testbed.tls.client.download;

import io.testbed.kernel.api.Kernel;
import io.testbed.tls.client.config.TestbedProperties;
import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.cpu.UserCpuModes;
import io.testbed.tls.client.engine.BcTlsEngine;
import io.testbed.tls.client.engine.ServerVerifier;
import io.testbed.tls.client.engine.TlsEngine;
import io.testbed.tls.client.engine.TlsEngines;
import io.testbed.tls.client.engine.TlsSettings;
import io.testbed.tls.client.git.FetchOptions;
import io.testbed.tls.client.kernel.KernelTargets;
import io.testbed.tls.client.kernel.UnknownKernelException;
import io.testbed.tls.client.metrics.TlsClientMetrics;
import io.testbed.tls.client.policy.AkumaTlsTransport;
import io.testbed.tls.client.policy.InvalidPolicyException;
import io.testbed.tls.client.policy.PolicySpec;
import io.testbed.tls.client.policy.SleepOnWouldBlock;
import io.testbed.tls.client.policy.WouldBlockPolicies;
import io.testbed.tls.client.policy.WouldBlockPolicy;
import io.testbed.tls.client.transport.IoStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Validates download requests, runs them on a bounded pool (each download one Java thread and one
 * simulated process), and keeps the latest results in memory.
 */
@Service
public class DownloadService implements DisposableBean {
    public static final Pattern REPO = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    public static final int MAX_READ_SIZE = 65536;
    public static final Pattern MACHINE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

    private static final Logger log = LoggerFactory.getLogger(DownloadService.class);

    private final TestbedProperties properties;
    private final KernelTargets kernels;
    private final TlsClientMetrics metrics;
    private final ThreadPoolExecutor executor;
    private final Map<String, Download> downloads;
    private final AtomicInteger active = new AtomicInteger();

    public DownloadService(TestbedProperties properties, KernelTargets kernels, TlsClientMetrics metrics) {
        this.properties = properties;
        this.kernels = kernels;
        this.metrics = metrics;
        TestbedProperties.TlsClient c = properties.tlsClient();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(c.concurrency(), c.concurrency(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, c.queue())), r -> {
                    Thread t = new Thread(r, "download-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.executor.allowCoreThreadTimeOut(true);
        int keep = c.keepResults();
        this.downloads = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Download> eldest) {
                return size() > keep && !Download.RUNNING.equals(eldest.getValue().status());
            }
        };
        metrics.activeDownloads(active::get);
    }

    /**
     * Validates and starts a download.
     *
     * @throws InvalidDownloadException for a request that cannot be run as given
     * @throws DownloadsBusyException   when no slot or queue place is free
     */
    public Download start(DownloadRequest request) {
        String kernelName = orDefault(request.kernel(), "default");
        Kernel kernel = kernel(kernelName);
        String machineId = machineId(request);
        String repo = repo(request);
        String clientName = orDefault(request.client(), BcTlsEngine.NAME);
        boolean scratch = Clients.isScratch(clientName);
        TlsEngine engine = engine(clientName, scratch);
        if (scratch) {
            ScratchRequests.validate(request, kernelName);
        }
        WouldBlockPolicy policy = policy(request, scratch);
        String verify = verify(request);
        int readSize = readSize(request);
        List<String> versions = orDefault(request.tlsVersions(), properties.tlsClient().tlsVersions());
        List<String> suites = orDefault(request.cipherSuites(), properties.tlsClient().cipherSuites());
        validateTls(engine, versions, suites);
        boolean askProgress = scratch || Boolean.TRUE.equals(request.progress());
        String protocol = protocol(request);
        boolean keepAlive = Boolean.TRUE.equals(request.keepAlive());
        CpuSpec cpu = cpu(request, scratch);

        String id = "d-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Download download = new Download(id, kernelName, machineId, repo, clientName, policy.effective(), policy.label(),
                verify, readSize, versions, suites, protocol, keepAlive, cpu, scratch,
                new DownloadProgress(new IoStats(metrics.live(clientName, policy.name()))));
        submit(download, () -> run(download, kernel, engine, policy, askProgress));
        return download;
    }

    private Kernel kernel(String kernelName) {
        try {
            return kernels.get(kernelName);
        } catch (UnknownKernelException e) {
            throw new InvalidDownloadException("kernel", e.getMessage());
        }
    }

    private static String machineId(DownloadRequest request) {
        String machineId = orDefault(request.machineId(), "default");
        if (!MACHINE_ID.matcher(machineId).matches()) {
            throw new InvalidDownloadException("machineId", "machineId must match " + MACHINE_ID.pattern()
                    + " (a kernel-sim machine id such as m-1 or default)");
        }
        return machineId;
    }

    private static String repo(DownloadRequest request) {
        String repo = request.repo();
        if (repo == null || !REPO.matcher(repo).matches()) {
            throw new InvalidDownloadException("repo", "repo must match " + REPO.pattern() + " (e.g. pack-4m), was "
                    + (repo == null ? "missing" : "'" + repo + "'"));
        }
        return repo;
    }

    /** The TLS engine a client uses; scratch speaks TLS through Bouncy Castle. */
    private static TlsEngine engine(String clientName, boolean scratch) {
        try {
            return TlsEngines.get(scratch ? BcTlsEngine.NAME : clientName);
        } catch (IllegalArgumentException e) {
            throw new InvalidDownloadException("client", "unknown client '" + clientName + "'; known: " + Clients.names());
        }
    }

    private static WouldBlockPolicy policy(DownloadRequest request, boolean scratch) {
        PolicySpec spec = request.policy() != null ? request.policy()
                : PolicySpec.of(scratch ? AkumaTlsTransport.NAME : SleepOnWouldBlock.NAME);
        try {
            return WouldBlockPolicies.create(spec);
        } catch (InvalidPolicyException e) {
            throw new InvalidDownloadException(e.field(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidDownloadException("policy", e.getMessage());
        }
    }

    private static String verify(DownloadRequest request) {
        String verify = orDefault(request.verify(), ServerVerifier.CA);
        if (!verify.equals(ServerVerifier.CA) && !verify.equals(ServerVerifier.NONE)) {
            throw new InvalidDownloadException("verify", "verify must be 'ca' (the testbed CA) or 'none' (no check, labelled), was '" + verify + "'");
        }
        return verify;
    }

    private int readSize(DownloadRequest request) {
        int readSize = request.readSize() == null ? properties.tlsClient().readSize() : request.readSize();
        if (readSize < 1 || readSize > MAX_READ_SIZE) {
            throw new InvalidDownloadException("readSize", "readSize must be in 1.." + MAX_READ_SIZE + ", was " + readSize);
        }
        return readSize;
    }

    private void validateTls(TlsEngine engine, List<String> versions, List<String> suites) {
        try {
            engine.validate(new TlsSettings(properties.git().host(), ServerVerifier.none(), versions, suites));
        } catch (IllegalArgumentException e) {
            throw new InvalidDownloadException("tls", e.getMessage());
        }
    }

    private static String protocol(DownloadRequest request) {
        String protocol = orDefault(request.protocol(), FetchOptions.V0);
        if (!FetchOptions.PROTOCOLS.contains(protocol)) {
            throw new InvalidDownloadException("protocol", "protocol must be one of " + FetchOptions.PROTOCOLS + ", was '" + protocol + "'");
        }
        return protocol;
    }

    /** The CPU accounting asked for; scratch models its CPU by default, the other clients declare none. */
    private static CpuSpec cpu(DownloadRequest request, boolean scratch) {
        CpuSpec cpu = request.cpu() != null ? request.cpu() : scratch ? CpuSpec.modelled() : CpuSpec.zero();
        try {
            UserCpuModes.create(cpu);
        } catch (RuntimeException e) {
            throw new InvalidDownloadException("cpu", e.getMessage());
        }
        return cpu;
    }

    /** Keeps the download and queues it; a full pool forgets it again and says so. */
    private void submit(Download download, Runnable work) {
        synchronized (downloads) {
            downloads.put(download.id(), download);
        }
        try {
            executor.execute(work);
        } catch (RejectedExecutionException e) {
            synchronized (downloads) {
                downloads.remove(download.id());
            }
            throw new DownloadsBusyException("all " + properties.tlsClient().concurrency() + " download slots and "
                    + properties.tlsClient().queue() + " queue places are taken; retry later");
        }
    }

    private void run(Download d, Kernel kernel, TlsEngine engine, WouldBlockPolicy policy, boolean askProgress) {
        active.incrementAndGet();
        DownloadResult result;
        try {
            ServerVerifier verifier = ServerVerifier.none();
            if (ServerVerifier.CA.equals(d.verify())) {
                verifier = ServerVerifier.fromCaFile(Path.of(properties.pki().caFile()));
            }
            String tempDir = properties.tlsClient().tempDir();
            FetchOptions fetch = new FetchOptions(properties.tlsClient().agent(), askProgress, null,
                    tempDir.isEmpty() ? null : Path.of(tempDir), null, d.protocol(), null);
            DownloadPlan plan = new DownloadPlan(d.id(), d.machineId(), d.repo(), properties.git().host(),
                    properties.git().port(), engine, new TlsSettings(properties.git().host(), verifier,
                    d.tlsVersions(), d.cipherSuites()), policy, d.readSize(), fetch, d.cpu(), d.keepAlive(), d.scratch(),
                    Clients.SCRATCH_PACK.equals(d.client()));
            result = Downloader.run(kernel, plan, d.progress());
        } catch (IOException e) {
            result = DownloadResult.failedBeforeStart(new FailureReason.ConfigurationException(e.getMessage(), e), d.verify());
        } catch (RuntimeException e) {
            log.warn("download {} failed unexpectedly", d.id(), e);
            result = DownloadResult.failedBeforeStart(e, d.verify());
        } finally {
            active.decrementAndGet();
        }
        d.finish(result);
        metrics.record(d.client(), d.policy().type(), result);
        log.info("download {} {} repo={} client={} policy=[{}] verify={} bytes={} simulatedMs={} error={}", d.id(),
                result.status(), d.repo(), d.client(), d.policyLabel(), d.verify(), result.bytes(),
                result.simulatedNs() / 1_000_000, result.error());
    }

    public Optional<Download> get(String id) {
        synchronized (downloads) {
            return Optional.ofNullable(downloads.get(id));
        }
    }

    /** The latest downloads, newest first. */
    public List<Download> recent(int limit) {
        List<Download> all;
        synchronized (downloads) {
            all = new ArrayList<>(downloads.values());
        }
        List<Download> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(all.get(i));
        }
        return out;
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }

    private static List<String> orDefault(List<String> v, List<String> d) {
        return v == null || v.isEmpty() ? d : List.copyOf(v);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
