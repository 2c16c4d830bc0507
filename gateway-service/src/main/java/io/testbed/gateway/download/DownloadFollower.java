package io.testbed.gateway.download;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.common.DependencyUnavailableException;
import io.testbed.gateway.kernel.KernelStats;
import io.testbed.gateway.run.MachineRun;
import io.testbed.gateway.run.MachineRuns;
import io.testbed.gateway.tlsclient.TlsClientRejectedException;
import io.testbed.gateway.tlsclient.TlsDownload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows a running download's {@link MachineRun} ({@link MachineRuns} polls it every
 * {@code testbed.downloads.poll-interval}) until tls-client reports an end, then reads the machine's stats and
 * deletes the machine if the gateway created it. A download also ends (failed) when tls-client stays unreachable
 * or forgets it, or when it runs longer than {@code max-wall}; its machine is deleted then too.
 */
@Component
public class DownloadFollower {

    private static final Logger log = LoggerFactory.getLogger(DownloadFollower.class);

    private final MachineRuns runs;
    private final DownloadStore store;
    private final GatewayMetrics metrics;
    private final DownloadProperties properties;
    private final ObjectProvider<DownloadEndListener> endListeners;
    private final Clock clock = Clock.systemUTC();

    public DownloadFollower(MachineRuns runs, DownloadStore store, GatewayMetrics metrics, DownloadProperties properties,
                            ObjectProvider<DownloadEndListener> endListeners) {
        this.runs = runs;
        this.store = store;
        this.metrics = metrics;
        this.properties = properties;
        this.endListeners = endListeners;
    }

    /** Follows a download until it ends; {@code onEnd} runs once then (it frees the download's running slot). */
    void follow(Download download, MachineRun run, Runnable onEnd) {
        Followed f = new Followed(download, run, clock.instant(), onEnd);
        long every = Math.max(1, properties.pollInterval().toMillis());
        runs.follow(run, Duration.ofMillis(every), Duration.ofMillis(every), r -> check(f));
    }

    /** After each poll: null while the download runs, the finished download once it ended. */
    private Download check(Followed f) {
        Instant now = clock.instant();
        try {
            TlsDownload latest;
            try {
                f.run.poll();
                latest = f.run.latest().get(f.download.tlsClientId());
                f.lastContact = now;
            } catch (DependencyUnavailableException e) {
                if (Duration.between(f.lastContact, now).compareTo(properties.unreachableFor()) > 0) {
                    return finish(f, Status.FAILED, "lost tls-client-service for over " + properties.unreachableFor().toSeconds()
                            + " s: " + e.getMessage());
                }
                return null;
            } catch (TlsClientRejectedException e) {
                return finish(f, Status.FAILED, "tls-client-service no longer knows download " + f.download.tlsClientId()
                        + " (was it restarted?): " + e.getMessage());
            }
            f.download = f.download.withProgress(latest);
            if (latest.running()) {
                store.save(f.download);
                if (Duration.between(f.download.startedAt(), now).compareTo(properties.maxWall()) > 0) {
                    return finish(f, Status.FAILED, "still running after " + properties.maxWall()
                            + " of real time (testbed.downloads.max-wall); the gateway stopped it by deleting its machine");
                }
                return null;
            }
            Status outcome = Status.of(latest.status());
            boolean succeeded = outcome == Status.SUCCEEDED;
            return finish(f, succeeded ? Status.SUCCEEDED : Status.FAILED,
                    succeeded ? null : latest.error() != null ? latest.error() : "tls-client-service reported status " + latest.status());
        } catch (RuntimeException e) {
            log.error("polling download {} failed", f.download.id(), e);
            return finish(f, Status.FAILED, "the gateway could not follow it: " + e);
        }
    }

    private Download finish(Followed f, Status outcome, String error) {
        Download d = f.download;
        KernelStats stats = f.run.statsOrNull();
        f.run.delete();
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
        log.info("download {} {}{}", d.id(), outcome.label(), error == null ? "" : ": " + error);
        return finished;
    }

    private static final class Followed {
        final MachineRun run;
        volatile Download download;
        volatile Instant lastContact;
        final Runnable onEnd;

        Followed(Download download, MachineRun run, Instant now, Runnable onEnd) {
            this.download = download;
            this.run = run;
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
