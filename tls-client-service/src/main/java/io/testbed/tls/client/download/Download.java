package io.testbed.tls.client.download;

import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.policy.PolicySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One download as the service keeps it: what was asked (normalised), its live progress, and once
 * finished its result. Read by REST threads while the download's thread writes progress; finish
 * listeners (the server-sent events) are told the result once.
 */
public final class Download {
    public static final String RUNNING = "running";

    private final String id;
    private final String kernel;
    private final String machineId;
    private final String repo;
    private final String client;
    private final PolicySpec policy;
    private final String policyLabel;
    private final String verify;
    private final int readSize;
    private final List<String> tlsVersions;
    private final List<String> cipherSuites;
    private final String protocol;
    private final boolean keepAlive;
    private final CpuSpec cpu;
    private final boolean scratch;
    private final DownloadProgress progress;
    private final List<Consumer<DownloadResult>> finishListeners = new ArrayList<>();
    private volatile DownloadResult result;

    Download(String id, String kernel, String machineId, String repo, String client, PolicySpec policy, String policyLabel,
             String verify, int readSize, List<String> tlsVersions, List<String> cipherSuites, String protocol,
             boolean keepAlive, CpuSpec cpu, boolean scratch, DownloadProgress progress) {
        this.scratch = scratch;
        this.id = id;
        this.kernel = kernel;
        this.machineId = machineId;
        this.repo = repo;
        this.client = client;
        this.policy = policy;
        this.policyLabel = policyLabel;
        this.verify = verify;
        this.readSize = readSize;
        this.tlsVersions = tlsVersions;
        this.cipherSuites = cipherSuites;
        this.protocol = protocol;
        this.keepAlive = keepAlive;
        this.cpu = cpu;
        this.progress = progress;
    }

    void finish(DownloadResult r) {
        List<Consumer<DownloadResult>> toTell;
        synchronized (finishListeners) {
            this.result = r;
            toTell = List.copyOf(finishListeners);
            finishListeners.clear();
        }
        toTell.forEach(l -> l.accept(r));
    }

    /** Calls {@code listener} with the result when the download finishes, or now if it has. */
    public void onFinish(Consumer<DownloadResult> listener) {
        DownloadResult r;
        synchronized (finishListeners) {
            r = result;
            if (r == null) {
                finishListeners.add(listener);
                return;
            }
        }
        listener.accept(r);
    }

    /** Forgets a listener given to {@link #onFinish} that no longer wants the result (a long poll that timed out). */
    public void removeFinishListener(Consumer<DownloadResult> listener) {
        synchronized (finishListeners) {
            finishListeners.remove(listener);
        }
    }

    public String protocol() {
        return protocol;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    public CpuSpec cpu() {
        return cpu;
    }

    /** Whether this is Akuma's scratch client (a clone into the machine's file system). */
    public boolean scratch() {
        return scratch;
    }

    public String id() {
        return id;
    }

    public String status() {
        DownloadResult r = result;
        return r == null ? RUNNING : r.status();
    }

    public String kernel() {
        return kernel;
    }

    public String machineId() {
        return machineId;
    }

    public String repo() {
        return repo;
    }

    public String client() {
        return client;
    }

    public PolicySpec policy() {
        return policy;
    }

    public String policyLabel() {
        return policyLabel;
    }

    public String verify() {
        return verify;
    }

    public int readSize() {
        return readSize;
    }

    public List<String> tlsVersions() {
        return tlsVersions;
    }

    public List<String> cipherSuites() {
        return cipherSuites;
    }

    public DownloadProgress progress() {
        return progress;
    }

    /** Null while running. */
    public DownloadResult result() {
        return result;
    }
}
