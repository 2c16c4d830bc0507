package io.testbed.kernel.sim.sched;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.config.SleepModel;
import io.testbed.kernel.sim.time.Event;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.sched.policy.SchedulerView;
import io.testbed.kernel.sim.sched.policy.SchedulingPolicy;
import io.testbed.kernel.sim.sched.policy.SchedulingPolicy.Reason;

/**
 * The single core and its timer. The running thread holds the core for one {@link Step} at a time;
 * the 10 ms timer tick runs a scheduler pass, preempting a userspace step at once and a kernel step
 * when it ends. Every yield, sleep, block and exit also runs a pass. Each pass costs
 * {@code cost.sched_pass_ns}, plus {@code cost.context_switch_ns} when the thread changes, charged to
 * the thread that gave up the core.
 *
 * <p>The timer as Akuma's (src/timer.rs:56-92): the handler runs {@code timer.irq_latency_us} after the
 * compare match, or when an IRQ-off step ends if that is later; with {@code timer.rearm=relative} it
 * re-arms from its own counter read, so the schedule drifts by every latency and is never made up.
 * Each tick is two interrupt entries ({@code cost.irq_entry_ns}: the timer IRQ, then the SGI whose
 * handler runs the pass); a tick that finds the current step in a preemption-off window, or thread 0
 * within its cooperative timeout, is lost ({@code sched.preempt_windows}).
 */
public final class Cpu implements SchedulerView {
    private final MachineSettings settings;
    // settings read per event, cached
    private final long tickNs;
    private final long irqLatencyNs;
    private final long costIrqEntry;
    private final boolean timerRelative;
    private final boolean preemptWindows;
    private final long cooperativeTimeoutNs;
    private final long costSchedPass;
    private final long costContextSwitch;
    /** {@code sleep.model}, read once: the wake checks run on every pass. */
    private final SleepModel sleepModel;
    private final EventQueue events;
    private final SchedulingPolicy policy;
    private final CpuListener listener;
    private final boolean liveUserspace;
    private final SimThread[] slots;
    /** The occupied slots' threads in slot order (the scans of every pass look at these only). */
    private final SimThread[] occupied;
    private int occupiedCount;
    /** The core's two continuations, made once (a method reference allocates at each use). */
    private final Runnable stepDone = this::stepDone;
    private final Runnable afterPass = this::afterPass;

    private SimThread current;
    private boolean busy;
    private boolean halted;
    private boolean tickPending;
    private Event stepEnd;
    /** Virtual clock: a CPU continuation due before every queued event runs at once, without the queue. */
    private final boolean inline;
    private Runnable pendingInline;
    private long pendingInlineAt;
    private boolean draining;
    private long inlineSteps;
    private Step runningStep;
    private long stepStart;
    private SimThread waitingForClient;
    private boolean started;
    private int yieldHint = -1;
    private long stolenNs;
    private long runningStolen;
    private long lastIoEvent = -1;
    private long irqNs;
    /** The timer's next compare match. */
    private long nextCompare;
    /** The timer IRQ came during an IRQ-off step: its handler runs when the step ends. */
    private boolean irqDeferred;
    private long lostTicks;
    private java.util.function.LongConsumer tickObserver = t -> { };
    private long deferredTicks;

    /** {@code engine.fast_forward} on the virtual clock, else null. */
    private final FastForward ff;

    private long passes;
    private long contextSwitches;
    private long ticks;
    private long boosts;
    private long haltedNs;
    private long haltedSince;

    /**
     * @param liveUserspace true on the live clock: a user thread in userspace runs on the host and
     *                      leaves the core (OFF_CPU) until its next syscall arrives
     */
    public Cpu(MachineSettings settings, EventQueue events, SchedulingPolicy policy, CpuListener listener,
               boolean liveUserspace) {
        this.settings = settings;
        this.tickNs = settings.getLong(Settings.TIMER_TICK_NS);
        this.irqLatencyNs = settings.getLong(Settings.TIMER_IRQ_LATENCY_NS);
        this.costIrqEntry = settings.getLong(Settings.COST_IRQ_ENTRY_NS);
        this.timerRelative = settings.is(Settings.TIMER_REARM_RELATIVE);
        this.preemptWindows = settings.is(Settings.SCHED_PREEMPT_WINDOWS);
        this.cooperativeTimeoutNs = settings.getLong(Settings.SCHED_COOPERATIVE_TIMEOUT_NS);
        this.costSchedPass = settings.getLong(Settings.COST_SCHED_PASS_NS);
        this.costContextSwitch = settings.getLong(Settings.COST_CONTEXT_SWITCH_NS);
        this.sleepModel = settings.get(Settings.SLEEP_MODEL);
        this.events = events;
        this.policy = policy;
        this.listener = listener;
        this.liveUserspace = liveUserspace;
        this.inline = !liveUserspace && !Boolean.getBoolean("testbed.noInline");
        this.slots = new SimThread[settings.getInt(Settings.SCHED_THREAD_SLOTS)];
        this.occupied = new SimThread[slots.length];
        this.ff = inline && settings.is(Settings.ENGINE_FAST_FORWARD) ? new FastForward(this, events, settings) : null;
    }

    /** The idle fast-forward, or null (live clock, {@code engine.fast_forward=off}). */
    public FastForward fastForward() {
        return ff;
    }

    public void install(SimThread t) {
        if (slots[t.tid] != null) {
            throw new IllegalStateException("slot " + t.tid + " is taken");
        }
        slots[t.tid] = t;
        int i = occupiedCount++;
        while (i > 0 && occupied[i - 1].tid > t.tid) {
            occupied[i] = occupied[i - 1];
            i--;
        }
        occupied[i] = t;
        t.born(events.now());
    }

    /** Empties {@code t}'s slot. */
    private void vacate(SimThread t) {
        slots[t.tid] = null;
        int i = 0;
        while (occupied[i] != t) {
            i++;
        }
        System.arraycopy(occupied, i + 1, occupied, i, occupiedCount - i - 1);
        occupied[--occupiedCount] = null;
    }

    /** The occupied slots' threads in slot order, for this package's scans: read entries below {@link #occupiedCount()}. */
    SimThread[] occupied() {
        return occupied;
    }

    int occupiedCount() {
        return occupiedCount;
    }

    /** The lowest free slot at or above {@code from}, or -1. */
    public int freeSlot(int from) {
        for (int i = from; i < slots.length; i++) {
            if (slots[i] == null) {
                return i;
            }
        }
        return -1;
    }

    /** Starts the timer and runs the first thread. */
    public void start(long now) {
        started = true;
        nextCompare = timerRelative ? now + tickNs : (now / tickNs + 1) * tickNs;
        scheduleTimerIrq();
        current = RoundRobinStart.first(slots);
        current.setState(ThreadState.RUNNING, now);
        current.runningSince = now;
        current.slots++;
        // the first step is an event: nothing runs until the machine's loop fires it (a new machine is
        // quiescent until something attaches)
        events.schedule(now, Event.CLASS_CPU, () -> {
            dispatch(now);
            drain();
        });
    }

    public boolean started() {
        return started;
    }

    private void scheduleTimerIrq() {
        events.schedule(nextCompare + irqLatencyNs, Event.CLASS_TIMER, this::onTimerIrq);
    }

    /** The timer interrupt is raised: its handler runs now, or when an IRQ-off step ends. */
    private void onTimerIrq() {
        if (busy && runningStep != null && runningStep.irqOff() && preemptWindows) {
            irqDeferred = true;
            deferredTicks++;
            return;
        }
        onTick(false);
    }

    /**
     * The timer handler: re-arm, then the SGI's pass, unless the tick is lost.
     *
     * @param afterIrqOffWindow the handler was held by an IRQ-off step that has just ended (Akuma unmasks
     *                          IRQs before it re-enables preemption, so such a tick is always lost)
     */
    private void onTick(boolean afterIrqOffWindow) {
        long now = events.now();
        ticks++;
        tickObserver.accept(now);
        long counterRead = now + costIrqEntry;
        nextCompare = timerRelative ? counterRead + tickNs
                : ((now - irqLatencyNs) / tickNs + 1) * tickNs;
        scheduleTimerIrq();
        steal(costIrqEntry);
        if (afterIrqOffWindow || tickLost(now)) {
            lostTicks++;
            steal(costIrqEntry); // the SGI is still taken; its pass returns at once
            drain();
            return;
        }
        if (busy) {
            if (runningStep != null && runningStep.then() == Step.Then.USER) {
                preemptUserStep(now);
                pass(now, Reason.TICK);
            } else {
                tickPending = true;
            }
        } else if (halted) {
            pass(now, Reason.TICK);
        } else {
            tickPending = true;
        }
        drain();
    }

    /** A non-voluntary pass does nothing: the step runs with preemption off, or thread 0 is cooperative. */
    private boolean tickLost(long now) {
        if (!preemptWindows || current == null) {
            return false;
        }
        if (busy && runningStep != null && runningStep.preemptOff()) {
            return true;
        }
        return current.tid == 0 && cooperativeTimeoutNs > 0 && current.state == ThreadState.RUNNING
                && now - current.runningSince < cooperativeTimeoutNs;
    }

    private void preemptUserStep(long now) {
        cancelStepEnd();
        long used = now - stepStart;
        long unused = runningStep.cpuNs() - used;
        charge(current, runningStep, used);
        current.program.preempted(unused);
        busy = false;
        runningStep = null;
    }

    /**
     * Continues the core's work at {@code at}. On the virtual clock, when nothing else is due before
     * then, the continuation runs directly (see {@link #drain()}): same order, same state, no event.
     */
    private void cpuLater(long at, Runnable continuation) {
        if (inline && at < events.peekTime()) {
            pendingInline = continuation;
            pendingInlineAt = at;
            stepEnd = null;
            return;
        }
        stepEnd = events.schedule(at, Event.CLASS_CPU, () -> {
            continuation.run();
            drain();
        });
    }

    private void cancelStepEnd() {
        if (stepEnd != null) {
            stepEnd.cancel();
            stepEnd = null;
        }
        pendingInline = null;
    }

    /** Runs inline continuations until the core's next step must wait for a queued event. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (pendingInline != null) {
                Runnable r = pendingInline;
                pendingInline = null;
                events.advanceTo(pendingInlineAt);
                inlineSteps++;
                r.run();
            }
        } finally {
            draining = false;
        }
    }

    /** CPU steps that ran without going through the event queue. */
    public long inlineSteps() {
        return inlineSteps;
    }

    /** Asks the current thread for its next step and runs it. */
    private void dispatch(long now) {
        if (current == null || !current.state.runnable()) {
            pass(now, Reason.BLOCK);
            return;
        }
        Step step = current.program.next(now);
        if (step == null) {
            waitingForClient = current;
            return;
        }
        runStep(now, step);
    }

    private void runStep(long now, Step step) {
        runningStolen = 0;
        if (stolenNs > 0) {
            // interrupt handling since the last step delays this one (and is not the thread's CPU time)
            step = step.plus(stolenNs);
            runningStolen = stolenNs;
            stolenNs = 0;
        }
        busy = true;
        runningStep = step;
        stepStart = now;
        cpuLater(now + step.cpuNs(), stepDone);
    }

    /** Charges the thread for the part of the running step it has used (CPU time counts when it is spent). */
    private void charge(SimThread t, Step step, long used) {
        long own = Math.max(0, used - runningStolen);
        t.cpuNs += own;
        if (step.then() == Step.Then.USER) {
            t.chargeUser(own);
        }
        listener.onCharge(t, own);
    }

    private void stepDone() {
        long now = events.now();
        Step step = runningStep;
        busy = false;
        runningStep = null;
        SimThread t = current;
        charge(t, step, step.cpuNs());
        if (irqDeferred) {
            irqDeferred = false;
            onTick(step.preemptOff());
        }
        switch (step.then()) {
            case CONTINUE, USER -> afterContinue(now);
            case YIELD -> pass(now, Reason.YIELD);
            case SLEEP -> {
                t.setState(ThreadState.WAITING, now);
                t.wakeAt = step.wakeAt();
                switch (sleepModel) {
                    case HIRES -> {
                        events.schedule(Math.max(now, step.wakeAt()), Event.CLASS_TIMER, () -> hiresWake(t));
                        pass(now, Reason.SLEEP);
                    }
                    case TICK_ROUNDED -> pass(now, Reason.SLEEP);
                    // Akuma: the sleeping thread waits for interrupt; the core idles until the next one
                    // (the timer tick), whose pass wakes it if its deadline has passed
                    case WFI_UNTIL_TICK -> halt(now);
                }
            }
            case BLOCK -> {
                if (lastIoEvent >= stepStart) {
                    // an I/O event came while the thread was deciding to block: check again, don't sleep through it
                    pass(now, Reason.YIELD);
                    return;
                }
                t.blockedOnIo = true;
                t.setState(ThreadState.WAITING, now);
                t.wakeAt = step.wakeAt();
                pass(now, Reason.BLOCK);
            }
            case RETURN_TO_USER -> {
                t.program.returned(now);
                if (liveUserspace) {
                    t.setState(ThreadState.OFF_CPU, now);
                    pass(now, Reason.BLOCK);
                } else {
                    afterContinue(now);
                }
            }
            case EXIT -> {
                t.program.returned(now);
                t.setState(ThreadState.TERMINATED, now);
                listener.onExit(now, t);
                pass(now, Reason.EXIT);
                vacate(t);
            }
        }
    }

    private void afterContinue(long now) {
        if (tickPending) {
            pass(now, Reason.TICK);
        } else {
            dispatch(now);
        }
    }

    private void halt(long now) {
        if (!halted) {
            halted = true;
            haltedSince = now;
        }
    }

    private void hiresWake(SimThread t) {
        if (t.state == ThreadState.WAITING && slots[t.tid] == t) {
            t.setState(ThreadState.READY, events.now());
            if (halted) {
                pass(events.now(), Reason.WAKE);
            }
        }
        drain();
    }

    /** An interrupt handler ran for {@code ns}: the time is taken from the next step on the core. */
    public void steal(long ns) {
        stolenNs += ns;
        irqNs += ns;
    }

    public long irqNs() {
        return irqNs;
    }

    /** An I/O event: every thread blocked on I/O becomes READY to check again; a halted core wakes. */
    public void wakeIoWaiters() {
        lastIoEvent = events.now();
        boolean woke = false;
        for (int i = 0; i < occupiedCount; i++) {
            SimThread t = occupied[i];
            if (t.state == ThreadState.WAITING && t.blockedOnIo) {
                t.setState(ThreadState.READY, events.now());
                t.blockedOnIo = false;
                woke = true;
            }
        }
        if (woke && halted) {
            pass(events.now(), Reason.WAKE);
        }
        drain();
    }

    /** Makes an OFF_CPU thread (live clock) runnable because its next syscall arrived. */
    public void makeReady(SimThread t) {
        if (t.state == ThreadState.OFF_CPU) {
            t.setState(ThreadState.READY, events.now());
            if (halted) {
                pass(events.now(), Reason.WAKE);
            }
        }
        drain();
    }

    /** The thread the engine is waiting on (virtual clock: its next syscall has not arrived), or null. */
    public SimThread waitingForClient() {
        return waitingForClient;
    }

    /** The awaited syscall arrived (or the thread was killed): go on. */
    public void resume(long now) {
        if (waitingForClient != null) {
            waitingForClient = null;
            dispatch(now);
        }
        drain();
    }

    /**
     * Removes a thread that was killed from outside (its client went away). If it holds the core, the
     * core moves on; a step in progress for it is abandoned.
     */
    public void kill(SimThread t, long now) {
        if (slots[t.tid] != t) {
            return;
        }
        t.setState(ThreadState.TERMINATED, now);
        if (t == current) {
            if (busy) {
                cancelStepEnd();
                busy = false;
                runningStep = null;
            }
            boolean wasWaiting = waitingForClient == t;
            waitingForClient = null;
            if (wasWaiting || !halted) {
                pass(now, Reason.EXIT);
            }
        }
        vacate(t);
        drain();
    }

    private void pass(long now, Reason reason) {
        if (ff != null) {
            now = ff.atPass(now, reason);
        }
        tickPending = false;
        passes++;
        SimThread from = current;
        SimThread next = policy.pickNext(now, from, reason, this);
        if (next == null) {
            halt(now);
            return;
        }
        if (halted) {
            halted = false;
            haltedNs += now - haltedSince;
        }
        long cost = costSchedPass;
        if (reason == Reason.TICK || reason == Reason.YIELD || reason == Reason.EXIT) {
            cost += costIrqEntry; // the SGI whose handler runs the pass
        }
        boolean switched = next != from;
        if (switched) {
            if (from != null && from.state == ThreadState.RUNNING) {
                from.setState(ThreadState.READY, now);
            }
            next.setState(ThreadState.RUNNING, now);
            next.runningSince = now;
            next.switchesIn++;
            contextSwitches++;
            cost += costContextSwitch;
        }
        next.slots++;
        if (from != null && slots[from.tid] == from) {
            from.cpuNs += cost;
            listener.onCharge(from, cost);
        }
        listener.onPass(now, from, next, switched, reason);
        current = next;
        busy = true;
        runningStep = null;
        cpuLater(now + cost, afterPass);
    }

    private void afterPass() {
        busy = false;
        afterContinue(events.now());
    }

    // ---- fast-forward's view of the core (package-private) ----

    long ffFlags() {
        return (busy ? 1 : 0) | (halted ? 2 : 0) | (tickPending ? 4 : 0) | (irqDeferred ? 8 : 0) | (started ? 16 : 0)
                | (runningStep != null ? 32 : 0) | (pendingInline != null ? 64 : 0);
    }

    long ffStolen() {
        return stolenNs;
    }

    long ffRunningStolen() {
        return runningStolen;
    }

    long ffLastIoEvent() {
        return lastIoEvent;
    }

    long ffYieldHint() {
        return yieldHint;
    }

    /** The core's counters, in fast-forward's layout (9 values). */
    void ffCounters(long[] c) {
        c[0] = passes;
        c[1] = contextSwitches;
        c[2] = boosts;
        c[3] = inlineSteps;
        c[4] = irqNs;
        c[5] = ticks;
        c[6] = lostTicks;
        c[7] = deferredTicks;
        c[8] = haltedNs;
    }

    void ffAddCounters(long[] d) {
        passes += d[0];
        contextSwitches += d[1];
        boosts += d[2];
        inlineSteps += d[3];
        irqNs += d[4];
        ticks += d[5];
        lostTicks += d[6];
        deferredTicks += d[7];
        haltedNs += d[8];
    }

    /** From when a pass's {@link #wakeExpired} wakes a WAITING thread. */
    long ffWakeTime(SimThread t) {
        if (!t.blockedOnIo && sleepModel == SleepModel.TICK_ROUNDED) {
            if (t.wakeAt > Long.MAX_VALUE - tickNs) {
                return Long.MAX_VALUE;
            }
            return (t.wakeAt + tickNs - 1) / tickNs * tickNs;
        }
        return t.wakeAt;
    }

    // ---- SchedulerView ----

    @Override
    public SimThread slot(int index) {
        return index >= 0 && index < slots.length ? slots[index] : null;
    }

    @Override
    public int slotCount() {
        return slots.length;
    }

    @Override
    public void wakeExpired(long now) {
        for (int i = 0; i < occupiedCount; i++) {
            SimThread t = occupied[i];
            if (t.state == ThreadState.WAITING && wakeable(t, now)) {
                t.setState(ThreadState.READY, now);
            }
        }
    }

    /** The default scan's answer, from the occupied slots only: those after {@code start} in slot order, then the rest. */
    @Override
    public SimThread nextRunnableAfter(int start, SimThread current) {
        int n = occupiedCount;
        int first = 0;
        while (first < n && occupied[first].tid <= start) {
            first++;
        }
        for (int k = 0; k < n; k++) {
            int j = first + k;
            SimThread t = occupied[j < n ? j : j - n];
            if (t != current && t.state.runnable()) {
                return t;
            }
        }
        return current != null && current.state.runnable() ? current : null;
    }

    private boolean wakeable(SimThread t, long now) {
        if (t.blockedOnIo) {
            if (now >= t.wakeAt) {
                t.blockedOnIo = false;
                return true;
            }
            return false;
        }
        if (sleepModel == SleepModel.TICK_ROUNDED) {
            long rounded = (t.wakeAt + tickNs - 1) / tickNs * tickNs;
            return now >= rounded;
        }
        return now >= t.wakeAt;
    }

    @Override
    public void countBoost(String reason) {
        boosts++;
        listener.onBoost(reason);
    }

    @Override
    public int takeYieldHint() {
        int h = yieldHint;
        yieldHint = -1;
        return h;
    }

    /** The network thread names a thread whose socket just got data (cooperative-hint). */
    public void hint(int tid) {
        yieldHint = tid;
    }

    public SchedulingPolicy policy() {
        return policy;
    }

    public SimThread current() {
        return current;
    }

    public SimThread[] slots() {
        return slots;
    }

    public long passes() {
        return passes;
    }

    public long contextSwitches() {
        return contextSwitches;
    }

    public long ticks() {
        return ticks;
    }

    /** Observes every timer handler run (its simulated time); for tests and traces. */
    public void observeTicks(java.util.function.LongConsumer observer) {
        this.tickObserver = observer;
    }

    /** Ticks whose pass did nothing: preemption was off, or thread 0 was within its cooperative timeout. */
    public long lostTicks() {
        return lostTicks;
    }

    /** Ticks whose handler waited for the end of an IRQ-off window. */
    public long deferredTicks() {
        return deferredTicks;
    }

    public long boosts() {
        return boosts;
    }

    public long haltedNs() {
        return haltedNs + (halted ? events.now() - haltedSince : 0);
    }

    /** Picks the thread the core starts with: the lowest occupied slot. */
    private static final class RoundRobinStart {
        static SimThread first(SimThread[] slots) {
            for (SimThread t : slots) {
                if (t != null) {
                    return t;
                }
            }
            throw new IllegalStateException("no thread to start");
        }
    }
}
