package io.testbed.git.server.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.testbed.git.server.repo.RepoInfo;
import io.testbed.git.server.repo.RepoRegistry;
import org.springframework.stereotype.Component;

/**
 * Meters of the git server:
 * <ul>
 * <li>{@code git.server.upload.pack.requests} (counter; tags {@code repo}, {@code outcome} = ok|error):
 * {@code POST git-upload-pack} requests. A protocol v2 clone sends two (ls-refs, fetch), v0 one.</li>
 * <li>{@code git.server.upload.pack.bytes} (counter, bytes; tag {@code repo}): pack bytes sent.</li>
 * <li>{@code git.server.upload.pack.packs} (counter; tag {@code repo}): packs sent.</li>
 * <li>{@code git.server.repositories} (gauge): repositories served.</li>
 * <li>{@code git.server.repository.pack.size} (gauge, bytes; tag {@code repo}): each repository's pack.</li>
 * <li>{@code git.server.repository.generation} (timer; tag {@code repo}): time to generate a repository,
 * recorded only when this process generated it rather than reusing it.</li>
 * </ul>
 * The {@code repo} tag only ever takes names of served repositories, which
 * {@code testbed.git.max-repositories} bounds; requests that name no served repository never reach
 * upload-pack.
 */
@Component
public class GitServerMetrics implements MeterBinder {

    public static final String REQUESTS = "git.server.upload.pack.requests";
    public static final String BYTES = "git.server.upload.pack.bytes";
    public static final String PACKS = "git.server.upload.pack.packs";
    public static final String REPOSITORIES = "git.server.repositories";
    public static final String PACK_SIZE = "git.server.repository.pack.size";
    public static final String GENERATION = "git.server.repository.generation";
    private static final String UNKNOWN = "unknown";

    private final RepoRegistry registry;
    private final Set<String> described = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry meters;

    public GitServerMetrics(RepoRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.meters = meterRegistry;
        Gauge.builder(REPOSITORIES, registry, RepoRegistry::size)
                .description("Repositories this server serves")
                .baseUnit("repositories")
                .register(meterRegistry);
        registry.addListener(this::describe);
        registry.generationTimes().forEach((name, duration) ->
                registry.find(name).ifPresent(info -> describe(info, Optional.of(duration))));
        registry.list().forEach(info -> describe(info, Optional.empty()));
    }

    private void describe(RepoInfo info, Optional<Duration> generation) {
        MeterRegistry registry = meters;
        if (registry == null) {
            return;
        }
        String repo = info.spec().name();
        generation.ifPresent(duration -> Timer.builder(GENERATION)
                .description("Time to generate a repository from (name, size, seed)")
                .tag("repo", repo)
                .register(registry)
                .record(duration));
        if (described.add(repo)) {
            Gauge.builder(PACK_SIZE, info, RepoInfo::packBytes)
                    .description("Size of the repository's single pack file; a full clone receives about this much")
                    .baseUnit(BaseUnits.BYTES)
                    .tag("repo", repo)
                    .strongReference(true)
                    .register(registry);
            // Create the per-repository counters at zero so that rates exist before the first clone.
            requests(registry, repo, "ok");
            bytes(registry, repo);
        }
    }

    /** One {@code POST git-upload-pack} finished; {@code repo} null if the repository was not resolved. */
    public void uploadPackRequest(String repo, boolean ok) {
        MeterRegistry registry = meters;
        if (registry != null) {
            requests(registry, repo == null ? UNKNOWN : repo, ok ? "ok" : "error").increment();
        }
    }

    /** A pack of {@code bytes} bytes was sent for {@code repo}. */
    public void packSent(String repo, long bytes) {
        MeterRegistry registry = meters;
        if (registry != null) {
            String tag = repo == null ? UNKNOWN : repo;
            bytes(registry, tag).increment(bytes);
            Counter.builder(PACKS)
                    .description("Packs sent by upload-pack")
                    .baseUnit("packs")
                    .tag("repo", tag)
                    .register(registry)
                    .increment();
        }
    }

    private static Counter requests(MeterRegistry registry, String repo, String outcome) {
        return Counter.builder(REQUESTS)
                .description("git-upload-pack POST requests, by outcome")
                .baseUnit("requests")
                .tags("repo", repo, "outcome", outcome)
                .register(registry);
    }

    private static Counter bytes(MeterRegistry registry, String repo) {
        return Counter.builder(BYTES)
                .description("Pack bytes sent by upload-pack")
                .baseUnit(BaseUnits.BYTES)
                .tag("repo", repo)
                .register(registry);
    }
}
