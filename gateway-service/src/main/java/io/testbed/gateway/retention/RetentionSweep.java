package io.testbed.gateway.retention;

import io.testbed.gateway.download.DownloadNotFoundException;
import io.testbed.gateway.experiment.ExperimentNotFoundException;
import io.testbed.gateway.reproduction.ReproductionNotFoundException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every {@code testbed.retention.sweep-interval}, deletes the ended downloads, experiments and
 * reproductions beyond {@link RetentionProperties}: all but the newest {@code max-*} of each, and any
 * started more than {@code max-age} ago, oldest first, through {@link Deletions} (so never a running one).
 */
@Component
public class RetentionSweep {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    /** How many of each kind one sweep deleted. */
    public record Swept(int downloads, int experiments, int reproductions) {
    }

    private final JdbcClient jdbc;
    private final Deletions deletions;
    private final RetentionProperties properties;
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService timer;

    public RetentionSweep(JdbcClient jdbc, Deletions deletions, RetentionProperties properties) {
        this.jdbc = jdbc;
        this.deletions = deletions;
        this.properties = properties;
    }

    @PostConstruct
    void start() {
        long every = properties.sweepInterval().toMillis();
        if (every <= 0) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention-sweep");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep(clock.instant());
            } catch (RuntimeException e) {
                log.warn("retention sweep failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** One sweep as at {@code now}. */
    public Swept sweep(Instant now) {
        int reproductions = sweep(ended("SELECT id, created_at FROM reproductions WHERE status <> 'running'"
                + " ORDER BY created_at DESC, id DESC"), properties.maxReproductions(), now, deletions::deleteReproduction);
        int experiments = sweep(ended("SELECT id, created_at FROM experiments WHERE status <> 'running' AND kind <> 'reproduction'"
                + " ORDER BY created_at DESC, id DESC"), properties.maxExperiments(), now, deletions::deleteExperiment);
        int downloads = sweep(ended("SELECT id, started_at FROM downloads WHERE status <> 'running'"
                + " ORDER BY started_at DESC, id DESC"), properties.maxDownloads(), now, deletions::deleteDownload);
        Swept swept = new Swept(downloads, experiments, reproductions);
        if (downloads + experiments + reproductions > 0) {
            log.info("retention sweep deleted {} downloads, {} experiments, {} reproductions", downloads, experiments, reproductions);
        }
        return swept;
    }

    private record Item(String id, Instant at) {
    }

    private List<Item> ended(String sql) {
        return jdbc.sql(sql).query((rs, n) -> new Item(rs.getString(1), rs.getTimestamp(2).toInstant())).list();
    }

    /** {@code newestFirst} beyond {@code keep}, or older than max-age, deleted oldest first. */
    private int sweep(List<Item> newestFirst, int keep, Instant now, Consumer<String> delete) {
        Instant oldest = properties.maxAge().isZero() ? Instant.MIN : now.minus(properties.maxAge());
        int deleted = 0;
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Item item = newestFirst.get(i);
            if (i < keep && !item.at().isBefore(oldest)) {
                continue;
            }
            try {
                delete.accept(item.id());
                deleted++;
            } catch (StillRunningException | DownloadNotFoundException | ExperimentNotFoundException
                     | ReproductionNotFoundException e) {
                log.debug("retention: {} skipped: {}", item.id(), e.getMessage());
            }
        }
        return deleted;
    }

}
