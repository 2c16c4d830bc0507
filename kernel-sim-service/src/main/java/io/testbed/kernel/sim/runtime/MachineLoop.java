package io.testbed.kernel.sim.runtime;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Counters;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.machine.MachineModel;
import io.testbed.kernel.sim.syscall.ReplySink;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The engine thread of one machine. It alone touches the {@link MachineModel}; everyone else hands it
 * work through the inbox and waits for the answer.
 *
 * <p><b>Virtual clock:</b> fire events as fast as possible, except that simulated time never advances
 * while (a) the running user thread's next syscall has not arrived (it is executing userspace code), or
 * (b) a real upstream owes bytes that the model may need now. (a) is bounded by
 * {@code watchdog.userspace_ms}: the thread is then killed. With nothing attached and nothing on the
 * network, the loop sleeps until a request arrives; time stands still meanwhile.
 *
 * <p><b>Live clock:</b> simulated time follows real time while the machine is busy (it pauses while
 * the machine is quiescent); events fire when their time comes.
 */
public final class MachineLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(MachineLoop.class.getName());
    private static final long MAX_WAIT_NS = 50_000_000L;

    private final String id;
    private final MachineModel model;
    private final Ticker wall;
    private final KernelListener listener;
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile String failure;
    private volatile long nowSnapshot;
    private volatile boolean held;
    private volatile long wallNsBusy;
    private long wallClientWaitNs;
    private long wallHoldNs;
    private long holds;
    private long repeatedSyscalls;
    /** Replies made inside a timed engine step, handed to their clients right after it (engine thread). */
    private final java.util.ArrayDeque<Runnable> outbox = new java.util.ArrayDeque<>();
    /** Threads with a would-block loop running kernel-side, and those whose loop answered early (engine thread). */
    private final java.util.Set<SyscallRepeater> repeating = new java.util.LinkedHashSet<>();
    private final java.util.Set<SyscallRepeater> adopting = new java.util.LinkedHashSet<>();
    // live clock mapping: virtual = baseVirtual + (wall - baseWall)
    private long baseVirtual;
    private long baseWall;
    private boolean wasQuiescent = true;
    /** Wall time the current wait for a client in userspace began, or -1 (the userspace watchdog). */
    private long waitStartedWall = -1;
    // per-call watchdog: for each user thread in a call, {delivery number, wall busy ns at first sight}
    private final java.util.Map<Integer, long[]> callWatch = new java.util.HashMap<>();
    private long firesSinceWatch;
    private long callWatchdogKills;

    public MachineLoop(String id, MachineModel model, Ticker wall, KernelListener listener) {
        this.id = id;
        this.model = model;
        this.wall = wall;
        this.listener = listener;
        this.thread = new Thread(this, "machine-" + id);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public String id() {
        return id;
    }

    /** Runs {@code work} on the engine thread. */
    public void post(Runnable work) {
        if (!stopped) {
            inbox.add(work);
        }
    }

    /** Runs {@code work} on the engine thread and returns its result. */
    public <T> CompletableFuture<T> call(Function<MachineModel, T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (stopped) {
            f.completeExceptionally(new IllegalStateException("machine " + id + " is stopped"));
            return f;
        }
        inbox.add(() -> {
            try {
                f.complete(work.apply(model));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Attaches a user thread; the future holds its tid, or -1 when no slot is free. */
    public CompletableFuture<Integer> attach(String name, ReplySink sink) {
        return attach(name, "", sink);
    }

    /** Attaches a user thread working for {@code owner} (reported in its stats); as {@link #attach(String, ReplySink)}. */
    public CompletableFuture<Integer> attach(String name, String owner, ReplySink sink) {
        return call(m -> m.attach(name, owner, sink));
    }

    /** Hands a thread's syscall to the machine; a protocol violation kills the thread. */
    public void submit(int tid, ReplySink owner, SyscallRequest request) {
        post(() -> deliver(tid, owner, request));
    }

    /** A syscall a client's would-block loop made, delivered by the kernel for it (engine thread). */
    void repeated(int tid, ReplySink owner, SyscallRequest request) {
        repeatedSyscalls++;
        post(() -> deliver(tid, owner, request));
    }

    /**
     * Engine thread: {@code handOver} (a reply or an end for a client) runs as soon as the current engine
     * step is over, outside {@code wall_busy_ns}: serialising and sending a reply is the transport's work, and
     * the client it wakes may take the core before the engine reads the clock again.
     */
    void send(Runnable handOver) {
        outbox.add(handOver);
    }

    private void flushOutbox() {
        Runnable r;
        while ((r = outbox.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "machine {0}: handing a reply over failed: {1}", id, e.toString());
            }
        }
    }

    /** Engine thread: whether {@code r} runs a would-block loop now. */
    void repeating(SyscallRepeater r, boolean on) {
        if (on) {
            repeating.add(r);
        } else {
            repeating.remove(r);
        }
    }

    /** Engine thread: {@code r}'s early answer was taken over by its client's next request (or the thread ended). */
    void adopted(SyscallRepeater r) {
        adopting.remove(r);
    }

    /** Engine thread: kills a thread now if it still belongs to {@code owner}. */
    void kill(int tid, ReplySink owner, String reason) {
        if (!model.kill(tid, owner, reason)) {
            owner.ended(reason);
        }
    }

    /** {@link #submit} on the engine thread itself (the caller is in a task the loop runs). */
    void deliver(int tid, ReplySink owner, SyscallRequest request) {
        // a delivered syscall runs the CPU steps it unblocks inline: engine work, counted as busy
        long t0 = wall.nanoTime();
        String refused = model.deliver(tid, owner, request);
        if (refused != null) {
            kill(tid, owner, refused);
        }
        wallNsBusy += wall.nanoTime() - t0;
    }

    /** Kills the thread if it still belongs to {@code owner} (its client went away). */
    public void detach(int tid, ReplySink owner, String reason) {
        post(() -> model.kill(tid, owner, reason));
    }

    public CompletableFuture<MachineStats> stats() {
        return call(m -> m.stats(id).toBuilder()
                .putCounters(Counters.WALL_BUSY_NS, wallNsBusy)
                .putCounters(Counters.WALL_CLIENT_WAIT_NS, wallClientWaitNs)
                .putCounters(Counters.WALL_UPSTREAM_HOLD_NS, wallHoldNs)
                .putCounters(Counters.UPSTREAM_HOLDS, holds)
                .putCounters(Counters.REPEATED_SYSCALLS, repeatedSyscalls)
                .putCounters(Counters.WATCHDOG_SYSCALL_KILLS, callWatchdogKills)
                .build());
    }

    /** Simulated now as last seen by the engine (readable from any thread). */
    public long now() {
        return nowSnapshot;
    }

    /** Whether the machine stands at {@code machine.stop_at_ms} (readable from any thread). */
    public boolean held() {
        return held;
    }

    /** Real time the engine spent busy (not waiting), for the simulation speed. */
    public long wallNsBusy() {
        return wallNsBusy;
    }

    public String failure() {
        return failure;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Stops the machine: every user thread is killed, every real connection closed. */
    public void stop() {
        if (stopped) {
            return;
        }
        inbox.add(() -> {
            model.killAll("machine deleted");
            stopped = true;
        });
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                drainInbox();
                if (stopped) {
                    break;
                }
                turn();
                flushOutbox();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failAndServeAdminCalls(e);
        }
    }

    /** One turn of the loop: a failed or quiescent machine waits for a request; a running one moves on. */
    private void turn() throws InterruptedException {
        if (failure != null) {
            flushOutbox();
            runOne(inbox.take());
            return;
        }
        if (model.quiescent()) {
            awaitRequest();
            return;
        }
        rebaseAfterQuiescence();
        if (model.virtualClock()) {
            virtualTurn();
        } else {
            liveTurn();
        }
    }

    /** Nothing can happen without a request: enforce the time limit, else block until one arrives. */
    private void awaitRequest() throws InterruptedException {
        int killed = model.enforceTimeLimit();
        if (killed > 0) {
            LOG.log(System.Logger.Level.WARNING, "machine {0}: machine.max_simulated_s reached; {1} user threads killed", id, killed);
            return;
        }
        wasQuiescent = true;
        boolean atStop = model.atStopTime();
        if (atStop) {
            answerLoopsEarly();
        }
        // the machine is held (its figures final) once every client has taken in what its thread did
        held = atStop && adopting.isEmpty();
        flushOutbox();
        runOne(inbox.take());
    }

    /**
     * At the stop time a kernel-run would-block loop answers with what it completed, so that every client
     * has seen, when the machine is held, every call it would have seen looping itself.
     */
    private void answerLoopsEarly() {
        for (SyscallRepeater r : repeating.toArray(new SyscallRepeater[0])) {
            if (r.answerEarly()) {
                adopting.add(r);
            }
        }
    }

    /** The live clock restarts from the machine's time when it leaves quiescence. */
    private void rebaseAfterQuiescence() {
        if (wasQuiescent) {
            wasQuiescent = false;
            baseVirtual = model.events().now();
            baseWall = wall.nanoTime();
        }
    }

    /**
     * Virtual clock: wait for a client whose thread is in userspace (with the watchdog), or hold for an
     * upstream, or fire the next event.
     */
    private void virtualTurn() throws InterruptedException {
        if (model.cpu().waitingForClient() != null) {
            waitForClient();
            return;
        }
        waitStartedWall = -1;
        long wallNow = wall.nanoTime();
        long hold = model.holdUntil(wallNow);
        if (hold > 0) {
            holdForUpstream(hold, wallNow);
            return;
        }
        fire();
        watchCalls();
    }

    /** A user thread is in userspace: wait for its next syscall, killing it when the watchdog runs out. */
    private void waitForClient() throws InterruptedException {
        long now = wall.nanoTime();
        if (waitStartedWall < 0) {
            waitStartedWall = now;
        }
        long left = waitStartedWall + model.settings().getLong(Settings.WATCHDOG_USERSPACE_NS) - now;
        if (left <= 0) {
            int tid = model.cpu().waitingForClient().tid;
            LOG.log(System.Logger.Level.WARNING, "machine {0}: user thread {1} stayed in userspace too long; killed", id, tid);
            model.kill(tid, "watchdog: no syscall within " + model.settings().getLong(Settings.WATCHDOG_USERSPACE_NS) / 1_000_000 + " ms");
            waitStartedWall = -1;
            return;
        }
        long busyBefore = wallNsBusy;
        runOne(inbox.poll(Math.min(left, MAX_WAIT_NS), TimeUnit.NANOSECONDS));
        wallClientWaitNs += wall.nanoTime() - now - (wallNsBusy - busyBefore);
    }

    /** Simulated time must not pass {@code hold} (wall time) while an upstream's answer may be incomplete. */
    private void holdForUpstream(long hold, long wallNow) throws InterruptedException {
        holds++;
        long busyBefore = wallNsBusy;
        runOne(inbox.poll(Math.min(hold - wallNow, MAX_WAIT_NS), TimeUnit.NANOSECONDS));
        wallHoldNs += wall.nanoTime() - wallNow - (wallNsBusy - busyBefore);
    }

    /** Live clock: fire the next event once the wall clock reaches it, else wait for it or a request. */
    private void liveTurn() throws InterruptedException {
        long wallNow = wall.nanoTime();
        long virtualNow = baseVirtual + (wallNow - baseWall);
        long next = model.events().peekTime();
        if (next <= virtualNow) {
            fire();
            return;
        }
        long waitNs = Math.min(next - virtualNow, MAX_WAIT_NS);
        runOne(inbox.poll(waitNs, TimeUnit.NANOSECONDS));
    }

    /** A fault in the loop itself: report it and keep answering admin calls until stopped. */
    private void failAndServeAdminCalls(RuntimeException e) {
        fail(e);
        flushOutbox();
        try {
            while (!stopped) {
                runOne(inbox.take());
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private void fire() {
        long before = model.events().now();
        long t0 = wall.nanoTime();
        try {
            model.events().fireNext();
        } catch (RuntimeException e) {
            fail(e);
            flushOutbox();
            return;
        }
        wallNsBusy += wall.nanoTime() - t0;
        flushOutbox();
        long after = model.events().now();
        nowSnapshot = after;
        if (after > before) {
            listener.virtualTimeAdvanced(after - before);
        }
    }

    /**
     * The per-call watchdog (virtual clock): a user thread whose one syscall, with the userspace time it
     * declared, has kept the engine busy longer than {@code watchdog.syscall_wall_ms} is killed, so one
     * request cannot pin a core however much simulated time it asks for. Checked every 256 events.
     */
    private void watchCalls() {
        if (++firesSinceWatch < 256) {
            return;
        }
        firesSinceWatch = 0;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Object[] call : model.callsInFlight()) {
            int tid = (Integer) call[0];
            long delivery = (Long) call[1];
            seen.add(tid);
            long[] w = callWatch.get(tid);
            if (w == null || w[0] != delivery) {
                callWatch.put(tid, new long[] {delivery, wallNsBusy, model.events().now()});
                continue;
            }
            long busy = wallNsBusy - w[1];
            if (busy > model.settings().getLong(Settings.WATCHDOG_SYSCALL_WALL_NS)) {
                String reason = "watchdog: syscall " + call[2] + " kept the engine busy " + busy / 1_000_000
                        + " ms of real time (watchdog.syscall_wall_ms " + model.settings().getLong(Settings.WATCHDOG_SYSCALL_WALL_NS) / 1_000_000
                        + "), covering " + (model.events().now() - w[2]) / 1_000_000 + " ms simulated";
                LOG.log(System.Logger.Level.WARNING, "machine {0}: user thread {1} killed: {2}", id, tid, reason);
                callWatchdogKills++;
                callWatch.remove(tid);
                model.kill(tid, reason);
            }
        }
        callWatch.keySet().retainAll(seen);
    }

    private void fail(Throwable e) {
        if (failure != null) {
            return;
        }
        failure = e.toString();
        LOG.log(System.Logger.Level.ERROR, "machine " + id + " failed; its threads are killed", e);
        try {
            model.killAll("kernel fault: " + e);
        } catch (RuntimeException again) {
            LOG.log(System.Logger.Level.ERROR, "machine " + id + ": cleanup failed", again);
        }
    }

    private void drainInbox() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            runOne(r);
        }
    }

    private void runOne(Runnable r) {
        if (r != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                fail(e);
            }
        }
        flushOutbox();
    }
}
