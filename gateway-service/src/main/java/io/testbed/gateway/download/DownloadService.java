package io.testbed.gateway.download;

import io.testbed.gateway.git.GitServerClient;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineInfo;
import io.testbed.gateway.kernel.MachineSpec;
import io.testbed.gateway.tlsclient.Capabilities;
import io.testbed.gateway.tlsclient.StartRequest;
import io.testbed.gateway.tlsclient.TlsClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts downloads: checks a spec against what the services offer, prepares the machine, starts the
 * client on tls-client, and leaves the rest to the {@link DownloadPoller}. Whatever fails after the
 * machine was created deletes it again, so a refused request leaves nothing behind.
 */
@Service
public class DownloadService {

    /** The live machine kernel-sim creates at start; downloads on the live clock without settings share it. */
    static final String DEFAULT_LIVE_MACHINE = "default";

    private static final Logger log = LoggerFactory.getLogger(DownloadService.class);

    private final GitServerClient git;
    private final TlsClient tlsClient;
    private final MachineAdminClient machines;
    private final DownloadStore store;
    private final DownloadPoller poller;
    private final GatewayMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public DownloadService(GitServerClient git, TlsClient tlsClient, MachineAdminClient machines, DownloadStore store,
                           DownloadPoller poller, GatewayMetrics metrics) {
        this.git = git;
        this.tlsClient = tlsClient;
        this.machines = machines;
        this.store = store;
        this.poller = poller;
        this.metrics = metrics;
    }

    public Download start(DownloadSpec spec) {
        machines.requireKernel(spec.kernel());
        List<String> repos = git.repoNames();
        if (!repos.contains(spec.repo())) {
            throw new InvalidDownloadException("repo", "Unknown repo '" + spec.repo() + "'; the git server has: "
                    + repos.stream().sorted().toList());
        }
        Capabilities capabilities = tlsClient.capabilities();
        if (!capabilities.clients().contains(spec.client())) {
            throw new InvalidDownloadException("client", "Unknown client '" + spec.client()
                    + "'; tls-client-service offers: " + capabilities.clients());
        }
        if (!capabilities.policies().contains(spec.policy().type())) {
            throw new InvalidDownloadException("policy.type", "Unknown policy type '" + spec.policy().type()
                    + "'; tls-client-service offers: " + capabilities.policies());
        }

        String id = "dl-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        boolean created = !spec.usesDefaultLiveMachine();
        String machineId = DEFAULT_LIVE_MACHINE;
        if (created) {
            MachineInfo machine = machines.create(spec.kernel(),
                    new MachineSpec(spec.profile(), spec.overrides(), spec.clock(), spec.seed(), "gateway " + id));
            machineId = machine.id();
        }
        String tlsClientId;
        try {
            tlsClientId = tlsClient.start(new StartRequest(spec.kernel(), machineId, spec.repo(), spec.client(),
                    spec.policy().asMap(), "ca"));
        } catch (RuntimeException e) {
            if (created) {
                deleteQuietly(spec.kernel(), machineId);
            }
            throw e;
        }
        Download download = new Download(id, DownloadStatus.RUNNING, spec, machineId, created, tlsClientId,
                clock.instant(), null, null, null, null);
        store.save(download);
        metrics.started();
        log.info("download {} started: {} with {} / {} {} ms on machine {} ({} clock), tls-client id {}",
                id, spec.repo(), spec.client(), spec.policy().type(), spec.policy().sleepMs(), machineId, spec.clock(), tlsClientId);
        poller.follow(download);
        return download;
    }

    public Optional<Download> find(String id) {
        return store.find(id);
    }

    public List<Download> recent(int limit) {
        return store.recent(limit);
    }

    private void deleteQuietly(String kernel, String machineId) {
        try {
            machines.delete(kernel, machineId);
        } catch (RuntimeException e) {
            log.warn("could not delete machine {} on kernel {} after a failed start: {}", machineId, kernel, e.getMessage());
        }
    }
}
