package io.testbed.gateway.run;

import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineInfo;
import io.testbed.gateway.kernel.MachineSpec;
import io.testbed.gateway.tlsclient.TlsClient;
import io.testbed.gateway.tlsclient.TlsDownload;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates {@link MachineRun}s and drives them: one scheduler polls every followed run at its interval and
 * asks its {@link Watch} what the poll means, until the watch says it ended. A single download is followed
 * this way with its end handled on the scheduler's thread; an experiment's run waits on the returned future
 * ({@link #await}) instead of sleeping in a loop. When the gateway stops, the machines of the runs still
 * followed are deleted, so a stopped gateway leaves none behind.
 */
@Component
public class MachineRuns {

    private static final Logger log = LoggerFactory.getLogger(MachineRuns.class);

    /**
     * What a run's owner makes of each poll: called on the scheduler's thread after every interval.
     *
     * @param <T> how the run ended
     */
    @FunctionalInterface
    public interface Watch<T> {
        /** @return how the run ended, or null to poll again after the interval; an exception ends the run with it */
        T check(MachineRun run);
    }

    private final MachineAdminClient machines;
    private final TlsClient tlsClient;
    private final ScheduledExecutorService scheduler;
    private final Map<MachineRun, CompletableFuture<?>> followed = new ConcurrentHashMap<>();
    /** How long one end watch waits at tls-client before it asks again; zero: polls only. */
    private final Duration endWait;

    /**
     * @param pollThreads  the download poller's threads ({@code testbed.downloads.poll-threads})
     * @param parallelRuns the experiments' runs at once ({@code testbed.experiments.parallel-runs}): each gets a
     *                     scheduler thread too, so one slow tls-client reply delays no more than it did before
     * @param endWait      how long one long poll for a download's end waits at tls-client ({@code testbed.runs.end-wait},
     *                     1 s..60 s; 0 turns the end watches off: the polls alone see the end)
     */
    public MachineRuns(MachineAdminClient machines, TlsClient tlsClient,
                       @Value("${testbed.downloads.poll-threads:2}") int pollThreads,
                       @Value("${testbed.experiments.parallel-runs:2}") int parallelRuns,
                       @Value("${testbed.runs.end-wait:30s}") Duration endWait) {
        if (!endWait.isZero() && (endWait.compareTo(Duration.ofSeconds(1)) < 0 || endWait.compareTo(Duration.ofSeconds(60)) > 0)) {
            throw new IllegalArgumentException("testbed.runs.end-wait must be 0 (off) or 1s..60s, got " + endWait);
        }
        this.endWait = endWait;
        this.machines = machines;
        this.tlsClient = tlsClient;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "machine-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.scheduler = Executors.newScheduledThreadPool(Math.max(1, pollThreads) + Math.max(1, parallelRuns), threads);
    }

    /** Step 1: creates a machine on {@code kernel} for its {@link MachineSpec#owner} (a download's or an experiment's id). */
    public MachineRun create(String kernel, MachineSpec spec) {
        MachineInfo machine = machines.create(kernel, spec);
        return new MachineRun(machines, tlsClient, kernel, machine.id(), true, spec.owner());
    }

    /** A run on a machine that exists already and that the run does not delete (the kernel's default live machine). */
    public MachineRun onExisting(String kernel, String machineId, String owner) {
        return new MachineRun(machines, tlsClient, kernel, machineId, false, owner);
    }

    /**
     * Polls {@code run} every {@code every}, the first time after {@code first}, until {@code watch} says how it
     * ended. The future completes with that, or exceptionally with what the watch threw; cancelling it stops the polls.
     * <p>
     * The polls are the fallback; the end comes sooner: for each download of the run a long poll asks tls-client
     * for its state once it has ended ({@link TlsClient#whenEnded}), and its answer makes the watch check the run at
     * once. So a run that ends is seen within a round trip, not up to an interval later, and the interval only sets
     * how fresh the progress is. A long poll that fails (tls-client unreachable, an older tls-client) is not repeated:
     * the polls go on as before.
     */
    public <T> CompletableFuture<T> follow(MachineRun run, Duration first, Duration every, Watch<T> watch) {
        CompletableFuture<T> end = new CompletableFuture<>();
        followed.put(run, end);
        long ms = Math.max(1, every.toMillis());
        ScheduledFuture<?>[] polls = new ScheduledFuture<?>[1];
        Object checking = new Object();
        Runnable check = () -> {
            synchronized (checking) { // a poll and a wake-up never check the same run at once
                if (end.isDone()) {
                    return;
                }
                try {
                    T outcome = watch.check(run);
                    if (outcome != null) {
                        end.complete(outcome);
                    }
                } catch (RuntimeException | Error e) {
                    end.completeExceptionally(e);
                }
            }
        };
        end.whenComplete((v, e) -> {
            followed.remove(run);
            synchronized (polls) {
                if (polls[0] != null) {
                    polls[0].cancel(false);
                }
            }
        });
        synchronized (polls) {
            polls[0] = scheduler.scheduleWithFixedDelay(check, Math.max(0, first.toMillis()), ms, TimeUnit.MILLISECONDS);
            if (end.isDone()) {
                polls[0].cancel(false);
            }
        }
        for (String id : run.downloadIds()) {
            watchEnd(id, end, check);
        }
        return end;
    }

    /** Asks tls-client for download {@code id} at its end; the answer runs {@code check}; asks again while it runs. */
    private void watchEnd(String id, CompletableFuture<?> end, Runnable check) {
        if (end.isDone() || endWait.isZero()) {
            return;
        }
        CompletableFuture<TlsDownload> ended;
        long asked = System.nanoTime();
        try {
            ended = tlsClient.whenEnded(id, endWait);
        } catch (RuntimeException e) {
            log.debug("no end watch for download {}: {}", id, e.toString());
            return;
        }
        ended.whenComplete((d, e) -> {
            if (end.isDone()) {
                return;
            }
            if (e != null) {
                log.debug("the end watch of download {} failed, polls only: {}", id, e.toString());
                return;
            }
            if (d.running()) {
                if (System.nanoTime() - asked >= endWait.toNanos() / 2) {
                    watchEnd(id, end, check); // the wait ran out: ask again
                } else {
                    log.debug("tls-client answered the end watch of download {} at once: polls only", id);
                }
                return;
            }
            try {
                scheduler.execute(check);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the gateway is stopping
            }
        });
    }

    /**
     * Waits for a followed run's end, on the caller's thread (an experiment's run).
     *
     * @throws InterruptedException interrupted while waiting (the polls stop)
     * @throws RuntimeException     what the watch threw
     */
    public static <T> T await(CompletableFuture<T> end) throws InterruptedException {
        try {
            return end.get();
        } catch (InterruptedException e) {
            end.cancel(false);
            throw e;
        } catch (CancellationException e) {
            throw new InterruptedException("the run's polls were stopped: the gateway is stopping");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops the polls and deletes the machines of the runs still followed. */
    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
        followed.forEach((run, end) -> {
            run.delete();
            end.cancel(false);
        });
    }
}
