package io.testbed.tls.client.download;

import io.testbed.tls.client.policy.PolicySpec;

import java.util.List;

/**
 * A download as asked for over REST; null fields take defaults (kernel {@code default}, machine
 * {@code default}, client {@code bc}, policy {@code sleep} 10 ms / 500 reads, verify {@code ca},
 * readSize 4096, no server progress, Akuma's TLS version and suite).
 */
public record DownloadRequest(String kernel, String machineId, String repo, String client, PolicySpec policy,
                              String verify, Integer readSize, Boolean progress, List<String> tlsVersions,
                              List<String> cipherSuites) {
}
