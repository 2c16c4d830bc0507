package io.testbed.gateway.download;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.common.TooManyRunningException;
import io.testbed.gateway.git.GitServerClient;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineSpec;
import io.testbed.gateway.run.MachineRun;
import io.testbed.gateway.run.MachineRuns;
import io.testbed.gateway.tlsclient.Capabilities;
import io.testbed.gateway.tlsclient.TlsClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * Starts downloads: checks a spec against what the services offer, prepares the machine, starts the
 * client on tls-client (a {@link MachineRun}), and leaves the rest to the {@link DownloadFollower}. Whatever fails after the
 * machine was created deletes it again, so a refused request leaves nothing behind. At most
 * {@code testbed.downloads.max-running} downloads run at once (one more is refused before anything is
 * asked of the services), and none of a repository over {@code testbed.downloads.max-repo-bytes}.
 */
@Service
public class DownloadService {

    /** The live machine kernel-sim creates at start; downloads on the live clock without settings share it. */
    static final String DEFAULT_LIVE_MACHINE = "default";

    private static final Logger log = LoggerFactory.getLogger(DownloadService.class);

    private final GitServerClient git;
    private final TlsClient tlsClient;
    private final MachineAdminClient machines;
    private final io.testbed.gateway.kernel.KernelDirectory directory;
    private final DownloadStore store;
    private final MachineRuns runs;
    private final DownloadFollower follower;
    private final GatewayMetrics metrics;
    private final DownloadProperties properties;
    private final Semaphore slots;
    private final Clock clock = Clock.systemUTC();

    public DownloadService(GitServerClient git, TlsClient tlsClient, MachineAdminClient machines, DownloadStore store,
                           MachineRuns runs, DownloadFollower follower, GatewayMetrics metrics, DownloadProperties properties,
                           io.testbed.gateway.kernel.KernelDirectory directory) {
        this.git = git;
        this.directory = directory;
        this.tlsClient = tlsClient;
        this.machines = machines;
        this.store = store;
        this.runs = runs;
        this.follower = follower;
        this.metrics = metrics;
        this.properties = properties;
        this.slots = new Semaphore(Math.max(1, properties.maxRunning()));
    }

    /** The name of the machine a download creates for itself (a label in the kernel's machine list). */
    public static String machineName(String downloadId) {
        return "gateway " + downloadId;
    }

    /**
     * Checks and starts a download.
     *
     * @throws TooManyRunningException {@code max-running} downloads are running already
     * @throws InvalidDownloadException asking for what the services do not have
     * @throws io.testbed.gateway.git.RepoTooLargeException a repository over {@code max-repo-bytes}
     */
    public Download start(DownloadSpec spec) {
        if (!slots.tryAcquire()) {
            throw new TooManyRunningException("downloads", Math.max(1, properties.maxRunning()), "testbed.downloads.max-running", 5);
        }
        boolean following = false;
        try {
            Download download = startWithSlot(spec);
            following = true;
            return download;
        } finally {
            if (!following) {
                slots.release();
            }
        }
    }

    private Download startWithSlot(DownloadSpec requested) {
        // with discovery the kernels have no configured names: the one with the most free capacity takes it
        DownloadSpec spec = directory.discovering() ? requested.onKernel(directory.pick()) : requested;
        machines.requireKernel(spec.kernel());
        checkOverrides(spec.overrides());
        Map<String, Long> repos = git.repoSizes();
        if (!repos.containsKey(spec.repo())) {
            throw new InvalidDownloadException("repo", "Unknown repo '" + spec.repo() + "'; the git server has: "
                    + repos.keySet().stream().sorted().toList());
        }
        GitServerClient.requireWithin(spec.repo(), repos.get(spec.repo()), properties.maxRepoBytes().toBytes());
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
        MachineRun run = spec.usesDefaultLiveMachine() ? runs.onExisting(spec.kernel(), DEFAULT_LIVE_MACHINE, id)
                : runs.create(spec.kernel(), new MachineSpec(spec.profile(), spec.overrides(), spec.clock(), spec.seed(), machineName(id), id));
        Download download;
        try {
            String tlsClientId = run.start(spec.repo(), spec.client(), spec.policy().asMap(), null);
            download = new Download(id, Status.RUNNING, spec, run.machineId(), run.created(), tlsClientId,
                    clock.instant(), null, null, null, null);
            store.save(download);
        } catch (RuntimeException e) {
            run.delete();
            throw e;
        }
        metrics.started();
        log.info("download {} started: {} with {} / {} {} ms on machine {} ({} clock), tls-client id {}",
                id, spec.repo(), spec.client(), spec.policy().type(), spec.policy().sleepMs(), run.machineId(), spec.clock(),
                download.tlsClientId());
        follower.follow(download, run, slots::release);
        return download;
    }

    /**
     * Setting values the gateway refuses itself (issue 16): non-canonical numbers (items 8), and settings
     * that make no sense for one download (item 4): {@code machine.start_after_threads} above 1 would hold
     * simulated time for threads that never come, and {@code machine.stop_at_ms} holds the machine for good
     * at that time, so the download could never end (an experiment's maxSimulatedSeconds cuts runs off).
     */
    static void checkOverrides(Map<String, String> overrides) {
        String[] bad = io.testbed.gateway.kernel.OverrideValues.firstProblem(overrides);
        if (bad != null) {
            throw new InvalidDownloadException("overrides." + bad[0], bad[1]);
        }
        String start = overrides.get("machine.start_after_threads");
        if (start != null && !start.equals("0") && !start.equals("1")) {
            throw new InvalidDownloadException("overrides.machine.start_after_threads", "machine.start_after_threads = " + start
                    + " would wait for " + start + " threads, but a single download attaches one: the download could never start;"
                    + " leave it out (or 0 or 1), or use an experiment with downloads = " + start);
        }
        String stop = overrides.get("machine.stop_at_ms");
        if (stop != null && !stop.equals("0")) {
            throw new InvalidDownloadException("overrides.machine.stop_at_ms", "machine.stop_at_ms = " + stop
                    + " holds the machine for good at that simulated time, so a single download would never end;"
                    + " leave it out (or 0), or use an experiment's maxSimulatedSeconds to cut runs off");
        }
    }

    public Optional<Download> find(String id) {
        return store.find(id);
    }

    public List<Download> recent(int limit) {
        return store.recent(limit);
    }
}
