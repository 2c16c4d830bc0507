package io.testbed.kernel.sim.machine;

import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.MachineStats;
import io.testbed.kernel.api.v1.SyscallRequest;
import io.testbed.kernel.api.v1.ThreadStats;
import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.fs.FileSystem;
import io.testbed.kernel.sim.net.NetworkStack;
import io.testbed.kernel.sim.net.remote.Peers;
import io.testbed.kernel.sim.sched.Cpu;
import io.testbed.kernel.sim.sched.CpuListener;
import io.testbed.kernel.sim.sched.FastForward;
import io.testbed.kernel.sim.sched.SimThread;
import io.testbed.kernel.sim.sched.Step;
import io.testbed.kernel.sim.sched.ThreadKind;
import io.testbed.kernel.sim.sched.ThreadProgram;
import io.testbed.kernel.sim.sched.ThreadState;
import io.testbed.kernel.sim.sched.policy.SchedulingPolicies;
import io.testbed.kernel.sim.session.InteractiveSessions;
import io.testbed.kernel.sim.syscall.ReplySink;
import io.testbed.kernel.sim.syscall.SyscallHost;
import io.testbed.kernel.sim.syscall.UserThreadProgram;
import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.time.SeededRandom;
import io.testbed.kernel.sim.time.Trace;

import java.util.HashMap;
import java.util.Map;

/**
 * One simulated machine's whole state: the core and its threads, the network stack, the user threads'
 * syscalls. Owned by one engine thread (the runtime's {@code MachineLoop}); nothing here is thread-safe, and nothing
 * reads a clock: simulated time is the event queue's.
 */
public final class MachineModel implements SyscallHost, CpuListener {
    /** User threads take slots from here up (0 boot/idle, 1-7 system threads; herd, when on, takes the first). */
    public static final int FIRST_USER_SLOT = 8;
    /** CLOCK_REALTIME at simulated time zero: 2026-01-31T00:00:00Z, the seed's commit. */
    public static final long REALTIME_EPOCH_NS = 1_769_817_600_000_000_000L;

    private final MachineSettings settings;
    private final boolean virtualClock;
    private final EventQueue events = new EventQueue();
    private final Trace trace = new Trace();
    private final SeededRandom random;
    private final InteractiveSessions sessions;
    private final KernelListener listener;
    /** The per-pass and per-step listener calls, added up and handed over in bulk; null for {@link KernelListener#NONE}. */
    private final ListenerBatch batch;
    private final Cpu cpu;
    private final NetworkStack net;
    private final FileSystem fs;
    private final Map<Integer, UserThreadProgram> users = new java.util.TreeMap<>();
    /** Syscalls returned by name, and errnos by name (the names are constants: a lookup hashes nothing new). */
    private final Map<String, long[]> syscallCounts = new HashMap<>();
    private final Map<String, long[]> errnoCounts = new HashMap<>();
    private final java.util.ArrayDeque<ThreadStats> endedThreads = new java.util.ArrayDeque<>();
    private java.util.function.BiConsumer<Long, SimThread> passObserver;
    private long threadsKilled;
    private long userThreadsCreated;
    private long timeLimitKills;
    private final FastForward fastForward;

    /**
     * @param virtualClock whether simulated time runs on its own (true) or is paced by the wall clock
     * @param peers        opens the far end of each connection the machine starts (the runtime's upstream gates)
     * @param listener     where the machine reports, the network's events included
     */
    public MachineModel(MachineSettings settings, boolean virtualClock, long seed, Peers peers, KernelListener listener) {
        this.settings = settings;
        this.virtualClock = virtualClock;
        this.listener = listener;
        this.batch = listener == KernelListener.NONE ? null : new ListenerBatch(listener);
        this.random = new SeededRandom(seed);
        this.fs = new FileSystem(settings);
        this.net = new NetworkStack(settings, events, trace, random, peers);
        net.reportTo(listener);
        this.cpu = new Cpu(settings, events, SchedulingPolicies.create(settings), this, !virtualClock);
        this.fastForward = cpu.fastForward();
        if (fastForward != null) {
            fastForward.host(fastForwardHost());
        }
        if (settings.getInt(Settings.NET_POLLER_SLOT) != 0) {
            cpu.install(new SimThread(0, "boot-idle", ThreadKind.IDLE, new IdleLoop(settings)));
        }
        cpu.install(new SimThread(settings.getInt(Settings.NET_POLLER_SLOT), "network", ThreadKind.NETWORK, networkLoop()));
        if (settings.irqWakeup()) {
            net.nic().onLanded(() -> interrupt(events.now()));
        }
        this.sessions = new InteractiveSessions(settings, events, random, net.nic(), listener::echoLatency);
        net.attach(sessions);
        sessions.onEchoQueued(() -> kick(events.now()));
        for (int i = 0; i < sessions.count(); i++) {
            spawn("session-" + i, ThreadKind.SESSION, 1, sessions.program(i));
        }
        sessions.start(0);
        if (settings.is(Settings.THREADS_HERD)) {
            // a machine is met long after boot: herd is in its sleep, due at a phase the tick grid does not share
            SimThread h = spawn("herd", ThreadKind.DAEMON, FIRST_USER_SLOT, new Herd(settings));
            h.setState(ThreadState.WAITING, events.now());
            h.wakeAt = settings.getLong(Settings.HERD_SLEEP_NS);
        }
        cpu.start(0);
    }

    /**
     * The network thread (Akuma src/main.rs:815-961): with preemption off it polls the stack and the
     * SSH accept loop, whose accept times out after 100 ms with no sessions and 10 ms otherwise and then
     * recreates the listen socket; then it yields.
     */
    private ThreadProgram networkLoop() {
        return new ThreadProgram() {
            private long acceptDeadline = acceptTimeout();
            /** The step of a poll that found nothing (the base cost), made once: most polls are that one. */
            private final Step idlePoll = pollStep(settings.getLong(Settings.COST_POLL_BASE_NS));

            @Override
            public Step next(long now) {
                if (settings.irqWakeup()) {
                    return Step.block(0, Long.MAX_VALUE); // the interrupt handler moves packets; nothing to poll
                }
                networkPoll();
                if (fastForward != null && fastForward.recording()) {
                    fastForward.listener(FastForward.POLL, null, null, 0);
                }
                long cost = net.poll(now);
                int woken = net.lastPollDataOwner();
                if (woken >= 0) {
                    cpu.hint(woken);
                }
                if (settings.is(Settings.SYSCALL_RECV_WAIT_WAKER)) {
                    wakeReaders();
                }
                if (settings.is(Settings.THREADS_SSH_ACCEPT) && now >= acceptDeadline) {
                    cost += settings.getLong(Settings.COST_SSH_ACCEPT_RECREATE_NS);
                    acceptDeadline = now + acceptTimeout();
                }
                return cost == idlePoll.cpuNs() ? idlePoll : pollStep(cost);
            }

            private Step pollStep(long cost) {
                Step step = Step.yield(cost);
                return settings.is(Settings.SCHED_PREEMPT_WINDOWS) ? step.preemptionOff() : step;
            }

            /** Nothing but the accept deadline, which {@link #ffQuietUntil} names: a stretch ends before it. */
            @Override
            public long ffPhase() {
                return 0;
            }

            /** A poll with nothing to do (no frame, no timer due, no reader to wake) until the next deadline. */
            @Override
            public long ffQuietUntil(long now) {
                if (settings.irqWakeup()) {
                    return Long.MAX_VALUE;
                }
                if (settings.is(Settings.SYSCALL_RECV_WAIT_WAKER) && readerToWake()) {
                    return now;
                }
                long until = net.quietUntil(now);
                return settings.is(Settings.THREADS_SSH_ACCEPT) ? Math.min(until, acceptDeadline) : until;
            }
        };
    }

    /**
     * 8316ebe's wakers: a reader blocked in recvfrom whose socket now has data becomes READY (the
     * waker's SGI comes inside the poll's preemption-off window and is lost; the thread runs at its
     * round-robin turn).
     */
    private void wakeReaders() {
        for (UserThreadProgram p : users.values()) {
            SimThread t = p.thread();
            if (t.state == ThreadState.WAITING && t.blockedOnIo && p.anySocketReady()) {
                t.blockedOnIo = false;
                t.setState(ThreadState.READY, events.now());
            }
        }
    }

    /** Whether {@link #wakeReaders} would wake a thread now. */
    private boolean readerToWake() {
        for (UserThreadProgram p : users.values()) {
            SimThread t = p.thread();
            if (t.state == ThreadState.WAITING && t.blockedOnIo && p.anySocketReady()) {
                return true;
            }
        }
        return false;
    }

    private long acceptTimeout() {
        return settings.getInt(Settings.SESSIONS_COUNT) > 0 ? 10_000_000L : 100_000_000L;
    }

    /** What the fast-forward needs from the machine around the core. */
    private FastForward.Host fastForwardHost() {
        return new FastForward.Host() {
            @Override
            public long[] extraCounters() {
                return new long[] {net.polls()};
            }

            @Override
            public void addExtraCounters(long[] delta) {
                net.addPolls(delta[0]);
            }

            @Override
            public void replayListener(int type, String a, String b, long count, long sum) {
                if (batch == null) {
                    return;
                }
                switch (type) {
                    case FastForward.PASS -> batch.passes(a, b, count);
                    case FastForward.SWITCH -> batch.contextSwitches(count);
                    case FastForward.CPU -> batch.cpuTime(a, sum);
                    case FastForward.BOOST -> batch.boosts(a, count);
                    case FastForward.POLL -> batch.networkPolls(count);
                    default -> throw new IllegalStateException("listener call " + type);
                }
            }

            @Override
            public void replayObserved(long time, SimThread to) {
                passObserver.accept(time, to);
            }

            @Override
            public boolean observing() {
                return passObserver != null;
            }

            @Override
            public Trace trace() {
                return trace;
            }
        };
    }

    /** Something from outside the core changed the machine: a fast-forward's recording starts again. */
    private void outsideChange() {
        if (fastForward != null) {
            fastForward.outsideChange();
        }
    }

    public EventQueue events() {
        return events;
    }

    public Cpu cpu() {
        return cpu;
    }

    public boolean virtualClock() {
        return virtualClock;
    }

    /**
     * Installs a thread that runs a given program in the lowest free slot at or above {@code fromSlot}
     * (synthetic workloads, interactive sessions). Returns it, or null when no slot is free.
     */
    public SimThread spawn(String name, ThreadKind kind, int fromSlot, ThreadProgram program) {
        int slot = cpu.freeSlot(fromSlot);
        if (slot < 0) {
            return null;
        }
        SimThread t = new SimThread(slot, name, kind, program);
        cpu.install(t);
        outsideChange();
        return t;
    }

    /** Observes every scheduler pass (time, thread given the core); for tests and traces. */
    public void observePasses(java.util.function.BiConsumer<Long, SimThread> observer) {
        this.passObserver = observer;
    }

    /** {@link #attach} refused: the machine reached {@code machine.max_simulated_s}. */
    public static final int ATTACH_TIME_LIMIT = -2;

    /** {@link #attach(String, String, ReplySink)} without an owner. */
    public int attach(String name, ReplySink sink) {
        return attach(name, "", sink);
    }

    /**
     * Creates a user thread working for {@code owner} (reported in its stats only); returns its tid, -1 when
     * every slot is taken, or {@link #ATTACH_TIME_LIMIT}.
     */
    public int attach(String name, String owner, ReplySink sink) {
        if (atTimeLimit()) {
            return ATTACH_TIME_LIMIT;
        }
        int slot = cpu.freeSlot(FIRST_USER_SLOT);
        if (slot < 0) {
            return -1;
        }
        outsideChange();
        UserThreadProgram program = new UserThreadProgram(this, sink, virtualClock);
        SimThread t = new SimThread(slot, name, ThreadKind.USER, program);
        t.owner = owner;
        t.state = virtualClock ? ThreadState.READY : ThreadState.OFF_CPU; // before install, which starts its clock
        program.bind(t);
        cpu.install(t);
        users.put(slot, program);
        userThreadsCreated++;
        trace.record(events.now(), 1, slot, 0);
        return slot;
    }

    /**
     * The client's next syscall for a thread. Returns null when accepted, else why it was refused (the
     * caller then kills the thread: a thread has at most one syscall in flight).
     */
    public String deliver(int tid, ReplySink owner, SyscallRequest request) {
        UserThreadProgram p = users.get(tid);
        if (p == null || p.sink() != owner) {
            return "no such thread " + tid;
        }
        if (p.busy()) {
            return "a syscall is already in flight";
        }
        if (request.hasSendto() && p.socketOf(request.getSendto().getFd()) != null) {
            net.sending(p.socketOf(request.getSendto().getFd()));
        }
        outsideChange();
        p.deliver(request);
        SimThread t = p.thread();
        if (virtualClock) {
            if (cpu.waitingForClient() == t) {
                cpu.resume(events.now());
            }
        } else {
            cpu.makeReady(t);
        }
        return null;
    }

    /** Ends a user thread from outside (client gone, watchdog, machine deleted): its sockets are reset. */
    public void kill(int tid, String reason) {
        UserThreadProgram p = users.get(tid);
        if (p != null) {
            kill(tid, p.sink(), reason);
        }
    }

    /** Kills the thread in slot {@code tid} only if it still belongs to {@code owner} (slots are reused). */
    public boolean kill(int tid, ReplySink owner, String reason) {
        UserThreadProgram p = users.get(tid);
        if (p == null || p.sink() != owner) {
            return false;
        }
        outsideChange();
        flushListener();
        users.remove(tid);
        threadsKilled++;
        listener.threadKilled(reason);
        p.abortSockets();
        net.abortOwnedBy(tid);
        boolean wasAwaited = cpu.waitingForClient() == p.thread();
        cpu.kill(p.thread(), events.now());
        remember(p.thread());
        if (wasAwaited) {
            cpu.resume(events.now());
        }
        p.sink().ended(reason);
        return true;
    }

    public void killAll(String reason) {
        flushListener();
        for (Integer tid : users.keySet().toArray(new Integer[0])) {
            kill(tid, reason);
        }
        net.shutdown();
    }

    /**
     * Nothing can happen without a request from outside: no user thread and a quiet network (interactive
     * sessions do not keep a machine running), or the machine still waits for its first
     * {@code machine.start_after_threads} threads, or it has reached {@code machine.stop_at_ms} or its
     * time limit (time stands still meanwhile). At the stop time and the time limit a thread in userspace
     * is waited for first: where it stands when the machine stops (in which syscall) must not depend on
     * how soon its client answers in real time.
     */
    public boolean quiescent() {
        boolean quiescent = (users.isEmpty() && net.idle()) || waitingForThreads() || atStopTime()
                || atTimeLimit() && cpu.waitingForClient() == null;
        if (quiescent) {
            flushListener(); // the machine is about to wait: its counts go out now, not at its next syscall
        }
        return quiescent;
    }

    /**
     * At {@code machine.max_simulated_s}: the next event is later than the bound. The machine then holds
     * for good: its user threads are killed ({@link #enforceTimeLimit}) and it takes no new ones.
     */
    public boolean atTimeLimit() {
        return events.peekTime() > settings.getLong(Settings.MACHINE_MAX_SIMULATED_NS) && events.peekTime() != Long.MAX_VALUE
                || events.now() >= settings.getLong(Settings.MACHINE_MAX_SIMULATED_NS);
    }

    /** Kills every user thread once the machine is at its time limit; returns how many. */
    public int enforceTimeLimit() {
        if (!atTimeLimit() || users.isEmpty() || cpu.waitingForClient() != null) {
            return 0;
        }
        int n = users.size();
        timeLimitKills += n;
        for (Integer tid : users.keySet().toArray(new Integer[0])) {
            kill(tid, "machine.max_simulated_s reached: the machine stands at "
                    + settings.getLong(Settings.MACHINE_MAX_SIMULATED_NS) / 1_000_000_000L + " s simulated for good; delete it");
        }
        return n;
    }

    /**
     * The user threads with a syscall in flight (or its userspace before it): tid, the call's delivery
     * number and its name, for the engine's per-call watchdog.
     */
    public java.util.List<Object[]> callsInFlight() {
        java.util.List<Object[]> out = new java.util.ArrayList<>();
        for (Map.Entry<Integer, UserThreadProgram> e : users.entrySet()) {
            UserThreadProgram p = e.getValue();
            if (p.busy()) {
                out.add(new Object[] {e.getKey(), p.deliveries(), p.pendingName()});
            }
        }
        return out;
    }

    /**
     * Past {@code machine.stop_at_ms}: the next event is later than it, so nothing more happens. Not while
     * the core waits for a client's next syscall: that syscall runs from now, before the bound (with the
     * drifting timer the next tick is often just past the bound while a thread is in userspace).
     */
    public boolean atStopTime() {
        return settings.getLong(Settings.MACHINE_STOP_AT_NS) > 0 && events.peekTime() > settings.getLong(Settings.MACHINE_STOP_AT_NS) && cpu.waitingForClient() == null;
    }

    /** Still before the start: fewer than {@code machine.start_after_threads} user threads have attached. */
    public boolean waitingForThreads() {
        return userThreadsCreated < settings.getInt(Settings.MACHINE_START_AFTER_THREADS);
    }

    public long holdUntil(long wallNow) {
        net.releaseQuietUpstreams(wallNow);
        return net.holdUntil(wallNow);
    }

    // ---- the interrupt-driven stack (net.poll_mode = irq-wakeup) ----

    private Event pendingIrq;

    /** Schedules the network interrupt handler at {@code at} unless one is already due by then. */
    private void interrupt(long at) {
        if (pendingIrq != null && !pendingIrq.cancelled() && pendingIrq.time() <= at) {
            return;
        }
        if (pendingIrq != null) {
            pendingIrq.cancel();
        }
        pendingIrq = events.schedule(Math.max(at, events.now()), Event.CLASS_HARDWARE, this::irq);
    }

    /** The handler: poll the stack, charge its time to the core, wake threads blocked on sockets. */
    private void irq() {
        pendingIrq = null;
        long now = events.now();
        networkPoll();
        cpu.steal(net.poll(now));
        cpu.wakeIoWaiters();
        long timer = net.nextTimer();
        if (timer >= 0) {
            interrupt(Math.max(timer, now + 1));
        }
    }

    @Override
    public void kick(long now) {
        if (settings.irqWakeup()) {
            interrupt(now);
        }
    }

    @Override
    public long directPoll(long now) {
        if (!settings.directPoll()) {
            return 0;
        }
        networkPoll();
        return net.poll(now);
    }

    // ---- SyscallHost ----

    @Override
    public MachineSettings settings() {
        return settings;
    }

    @Override
    public NetworkStack network() {
        return net;
    }

    @Override
    public boolean networkUp(long now) {
        return now >= settings.getLong(Settings.NET_BOOT_DELAY_NS);
    }

    @Override
    public void wouldBlock(long now, SimThread thread) {
        cpu.policy().onWouldBlock(now, thread);
    }

    @Override
    public void syscallReturned(long now, SimThread thread, String name, long ret, int errno) {
        count(syscallCounts, name);
        if (errno != 0) {
            count(errnoCounts, Errno.name(errno));
        }
        flushListener();
        listener.syscall(name, errno);
        cpu.policy().onSyscallReturn(now, thread);
        trace.record(now, 2, thread.tid, ret * 131 + errno);
    }

    private static void count(Map<String, long[]> counts, String name) {
        long[] n = counts.get(name);
        if (n == null) {
            counts.put(name, n = new long[1]);
        }
        n[0]++;
    }

    @Override
    public FileSystem fileSystem() {
        return fs;
    }

    @Override
    public long realtimeEpochNs() {
        return REALTIME_EPOCH_NS;
    }

    // ---- CpuListener ----

    @Override
    public void onPass(long now, SimThread from, SimThread to, boolean switched,
                       io.testbed.kernel.sim.sched.policy.SchedulingPolicy.Reason reason) {
        if (batch != null) {
            batch.pass(reason, to.kind, switched);
        }
        trace.record(now, 0, from == null ? -1 : from.tid, to.tid);
        if (passObserver != null) {
            passObserver.accept(now, to);
        }
        if (fastForward != null && fastForward.recording()) {
            fastForward.listener(FastForward.PASS, reason.label(), to.kind.label(), 0);
            if (switched) {
                fastForward.listener(FastForward.SWITCH, null, null, 0);
            }
            if (passObserver != null) {
                fastForward.observed(now, to);
            }
        }
    }

    @Override
    public void onCharge(SimThread thread, long ns) {
        if (batch != null) {
            batch.cpuTime(thread.kind, ns);
        }
        if (fastForward != null && fastForward.recording()) {
            fastForward.listener(FastForward.CPU, thread.kind.label(), null, ns);
        }
    }

    @Override
    public void onBoost(String reason) {
        if (batch != null) {
            batch.boost(reason);
        }
        if (fastForward != null && fastForward.recording()) {
            fastForward.listener(FastForward.BOOST, reason, null, 0);
        }
    }

    @Override
    public void onExit(long now, SimThread thread) {
        flushListener();
        users.remove(thread.tid);
        net.abortOwnedBy(thread.tid);
        remember(thread);
    }

    /** Keeps the figures of the last ended user threads, so a finished download's CPU time stays visible. */
    private void remember(SimThread t) {
        if (endedThreads.size() >= 64) {
            endedThreads.pollFirst();
        }
        endedThreads.addLast(threadStats(t));
    }

    private ThreadStats threadStats(SimThread t) {
        long now = events.now();
        long[] in = t.timeIn(now);
        return ThreadStats.newBuilder().setTid(t.tid).setName(t.name).setOwner(t.owner).setKind(t.kind.label())
                .setState(t.state.name()).setCpuNs(t.cpuNs).setSlots(t.slots).setSwitchesIn(t.switchesIn)
                .setUserCpuNs(t.userCpuNs).setUserCpuTlsNs(t.userCpuTlsNs).setUserCpuPackNs(t.userCpuPackNs).setReadyNs(in[0]).setRunningNs(in[1]).setSleepingNs(in[2]).setIoWaitNs(in[3])
                .setOffCpuNs(in[4]).setPollReadyNs(in[5]).setPollRunningNs(in[6]).setFsNs(t.fsNs).setBornNs(t.bornNs)
                .setEndedNs(t.state == io.testbed.kernel.sim.sched.ThreadState.TERMINATED ? t.stateSince : 0).build();
    }

    private void networkPoll() {
        if (batch != null) {
            batch.networkPoll();
        }
    }

    /** Hands the listener the per-pass calls added up so far (see {@link ListenerBatch}). */
    private void flushListener() {
        if (batch != null) {
            batch.flush();
        }
    }

    // ---- stats ----

    public MachineStats stats(String id) {
        flushListener();
        MachineStats.Builder b = MachineStats.newBuilder().setId(id).setNowNs(events.now());
        Map<String, Long> c = MachineCounters.of(this);
        b.putAllCounters(c);
        for (SimThread t : cpu.slots()) {
            if (t != null) {
                b.addThreads(threadStats(t));
            }
        }
        b.addAllThreads(endedThreads);
        return b.build();
    }

    // ---- what MachineCounters reads ----

    NetworkStack net() {
        return net;
    }

    FileSystem fs() {
        return fs;
    }

    FastForward fastForward() {
        return fastForward;
    }

    int userThreadCount() {
        return users.size();
    }

    long userThreadsCreated() {
        return userThreadsCreated;
    }

    long threadsKilled() {
        return threadsKilled;
    }

    long timeLimitKills() {
        return timeLimitKills;
    }

    Map<String, long[]> syscallCounts() {
        return syscallCounts;
    }

    Map<String, long[]> errnoCounts() {
        return errnoCounts;
    }

    public InteractiveSessions sessions() {
        return sessions;
    }

    public Trace trace() {
        return trace;
    }
}
