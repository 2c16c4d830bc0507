package io.testbed.gateway.run;

import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineInfo;
import io.testbed.gateway.kernel.MachineSpec;
import io.testbed.gateway.tlsclient.TlsClient;
import jakarta.annotation.PreDestroy;
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

    /**
     * @param pollThreads  the download poller's threads ({@code testbed.downloads.poll-threads})
     * @param parallelRuns the experiments' runs at once ({@code testbed.experiments.parallel-runs}): each gets a
     *                     scheduler thread too, so one slow tls-client reply delays no more than it did before
     */
    public MachineRuns(MachineAdminClient machines, TlsClient tlsClient,
                       @Value("${testbed.downloads.poll-threads:2}") int pollThreads,
                       @Value("${testbed.experiments.parallel-runs:2}") int parallelRuns) {
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
     */
    public <T> CompletableFuture<T> follow(MachineRun run, Duration first, Duration every, Watch<T> watch) {
        CompletableFuture<T> end = new CompletableFuture<>();
        followed.put(run, end);
        long ms = Math.max(1, every.toMillis());
        ScheduledFuture<?>[] polls = new ScheduledFuture<?>[1];
        end.whenComplete((v, e) -> {
            followed.remove(run);
            synchronized (polls) {
                if (polls[0] != null) {
                    polls[0].cancel(false);
                }
            }
        });
        synchronized (polls) {
            polls[0] = scheduler.scheduleWithFixedDelay(() -> {
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
            }, Math.max(0, first.toMillis()), ms, TimeUnit.MILLISECONDS);
            if (end.isDone()) {
                polls[0].cancel(false);
            }
        }
        return end;
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
