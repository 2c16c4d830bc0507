package io.testbed.gateway.download;

import io.testbed.gateway.DependencyUnavailableException;
import io.testbed.gateway.kernel.KernelStats;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.tlsclient.TlsClient;
import io.testbed.gateway.tlsclient.TlsClientRejectedException;
import io.testbed.gateway.tlsclient.TlsDownload;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows running downloads: asks tls-client for progress every {@code testbed.downloads.poll-interval}
 * until it reports an end, then reads the machine's stats and deletes the machine if the gateway
 * created it. A download also ends (failed) when tls-client stays unreachable or forgets it, or when
 * it runs longer than {@code max-wall}; its machine is deleted then too.
 */
@Component
public class DownloadPoller {

    private static final Logger log = LoggerFactory.getLogger(DownloadPoller.class);

    private final TlsClient tlsClient;
    private final MachineAdminClient machines;
    private final DownloadStore store;
    private final GatewayMetrics metrics;
    private final DownloadProperties properties;
    private final ObjectProvider<DownloadEndListener> endListeners;
    private final ScheduledExecutorService executor;
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public DownloadPoller(TlsClient tlsClient, MachineAdminClient machines, DownloadStore store, GatewayMetrics metrics,
                          DownloadProperties properties, ObjectProvider<DownloadEndListener> endListeners) {
        this.tlsClient = tlsClient;
        this.machines = machines;
        this.store = store;
        this.metrics = metrics;
        this.properties = properties;
        this.endListeners = endListeners;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "download-poller-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newScheduledThreadPool(Math.max(1, properties.pollThreads()), threads);
    }

    /** Follows a download until it ends; {@code onEnd} runs once then (it frees the download's running slot). */
    void follow(Download download, Runnable onEnd) {
        Followed f = new Followed(download, clock.instant(), onEnd);
        followed.put(download.id(), f);
        long every = Math.max(1, properties.pollInterval().toMillis());
        f.future = executor.scheduleWithFixedDelay(() -> poll(f), every, every, TimeUnit.MILLISECONDS);
    }

    private void poll(Followed f) {
        if (f.done) {
            return;
        }
        Instant now = clock.instant();
        try {
            TlsDownload latest;
            try {
                latest = tlsClient.status(f.download.tlsClientId());
                f.lastContact = now;
            } catch (DependencyUnavailableException e) {
                if (Duration.between(f.lastContact, now).compareTo(properties.unreachableFor()) > 0) {
                    finish(f, DownloadStatus.FAILED, "lost tls-client-service for over " + properties.unreachableFor().toSeconds()
                            + " s: " + e.getMessage());
                }
                return;
            } catch (TlsClientRejectedException e) {
                finish(f, DownloadStatus.FAILED, "tls-client-service no longer knows download " + f.download.tlsClientId()
                        + " (was it restarted?): " + e.getMessage());
                return;
            }
            f.download = f.download.withProgress(latest);
            if (latest.running()) {
                store.save(f.download);
                if (Duration.between(f.download.startedAt(), now).compareTo(properties.maxWall()) > 0) {
                    finish(f, DownloadStatus.FAILED, "still running after " + properties.maxWall()
                            + " of real time (testbed.downloads.max-wall); the gateway stopped it by deleting its machine");
                }
                return;
            }
            boolean succeeded = "succeeded".equals(latest.status());
            finish(f, succeeded ? DownloadStatus.SUCCEEDED : DownloadStatus.FAILED,
                    succeeded ? null : latest.error() != null ? latest.error() : "tls-client-service reported status " + latest.status());
        } catch (RuntimeException e) {
            log.error("polling download {} failed", f.download.id(), e);
            finish(f, DownloadStatus.FAILED, "the gateway could not follow it: " + e);
        }
    }

    private void finish(Followed f, DownloadStatus outcome, String error) {
        f.done = true;
        Download d = f.download;
        KernelStats stats = null;
        try {
            stats = machines.stats(d.spec().kernel(), d.machineId());
        } catch (RuntimeException e) {
            log.warn("could not read stats of machine {} for download {}: {}", d.machineId(), d.id(), e.getMessage());
        }
        if (d.machineCreated()) {
            deleteMachine(d);
        }
        // free the running slot before the end is visible: whoever sees it ended may start another at once
        f.onEnd.run();
        Instant end = clock.instant();
        Download finished = d.finished(outcome, end, stats, error);
        store.save(finished);
        metrics.ended(outcome, Duration.between(d.startedAt(), end));
        endListeners.orderedStream().forEach(l -> {
            try {
                l.ended(finished);
            } catch (RuntimeException e) {
                log.warn("a listener failed on the end of download {}: {}", d.id(), e.toString());
            }
        });
        followed.remove(d.id());
        if (f.future != null) {
            f.future.cancel(false);
        }
        log.info("download {} {}{}", d.id(), outcome.label(), error == null ? "" : ": " + error);
    }

    private void deleteMachine(Download d) {
        try {
            machines.delete(d.spec().kernel(), d.machineId());
        } catch (RuntimeException e) {
            log.warn("could not delete machine {} of download {}: {}", d.machineId(), d.id(), e.getMessage());
        }
    }

    /** Deletes the machines of downloads still running, so a stopped gateway leaves none behind. */
    @PreDestroy
    void stop() {
        executor.shutdownNow();
        followed.values().stream().filter(f -> !f.done && f.download.machineCreated()).forEach(f -> deleteMachine(f.download));
    }

    private static final class Followed {
        volatile Download download;
        volatile Instant lastContact;
        volatile boolean done;
        volatile ScheduledFuture<?> future;
        final Runnable onEnd;

        Followed(Download download, Instant now, Runnable onEnd) {
            this.download = download;
            this.lastContact = now;
            AtomicBoolean ran = new AtomicBoolean();
            this.onEnd = () -> {
                if (ran.compareAndSet(false, true)) {
                    onEnd.run();
                }
            };
        }
    }
}
