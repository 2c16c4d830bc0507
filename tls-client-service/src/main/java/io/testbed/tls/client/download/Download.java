package io.testbed.tls.client.download;

import io.testbed.tls.client.policy.PolicySpec;

import java.util.List;

/**
 * One download as the service keeps it: what was asked (normalised), its live progress, and once
 * finished its result. Read by REST threads while the download's thread writes progress.
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
    private final DownloadProgress progress;
    private volatile DownloadResult result;

    Download(String id, String kernel, String machineId, String repo, String client, PolicySpec policy, String policyLabel,
             String verify, int readSize, List<String> tlsVersions, List<String> cipherSuites, DownloadProgress progress) {
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
        this.progress = progress;
    }

    void finish(DownloadResult r) {
        this.result = r;
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
