package io.testbed.tls.client.download;

import io.testbed.tls.client.cpu.CpuSpec;
import io.testbed.tls.client.policy.PolicySpec;

import java.util.List;

/**
 * A download as asked for over REST; null fields take defaults (kernel {@code default}, machine
 * {@code default}, client {@code bc}, policy {@code sleep} 10 ms / 500 reads, verify {@code ca},
 * readSize 4096, no server progress, Akuma's TLS version and suite, protocol {@code v0}, a new
 * connection per request, cpu {@code zero}).
 */
public record DownloadRequest(String kernel, String machineId, String repo, String client, PolicySpec policy,
                              String verify, Integer readSize, Boolean progress, List<String> tlsVersions,
                              List<String> cipherSuites, String protocol, Boolean keepAlive, CpuSpec cpu) {

    public DownloadRequest(String kernel, String machineId, String repo, String client, PolicySpec policy,
                           String verify, Integer readSize, Boolean progress, List<String> tlsVersions,
                           List<String> cipherSuites) {
        this(kernel, machineId, repo, client, policy, verify, readSize, progress, tlsVersions, cipherSuites, null, null, null);
    }
}
