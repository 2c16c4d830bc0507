package io.testbed.kernel.sim.sched;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.time.EventQueue;
import io.testbed.kernel.sim.sched.policy.SchedulingPolicy.Reason;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact idle fast-forward ({@code engine.fast_forward}, docs/MODEL.md "Fast-forward"). Between two queued
 * events the core's work is a deterministic function of the machine's discrete state: the current thread,
 * every thread's scheduling state, the policy's counters, each running program's phase and the core's
 * flags. When every thread that runs only polls and yields with nothing to do (its program says so:
 * {@link ThreadProgram#ffPhase}, {@link ThreadProgram#ffQuietUntil}), that state recurs: this class
 * notes the state (its <em>signature</em>) at every scheduler pass while it records, and when a
 * signature comes back it has a <em>cycle</em>: P passes taking L ns, with the deltas of every counter,
 * the trace records and the listener calls of each pass (taken from a second round, checked pass by pass).
 * Later, at any pass whose signature is a phase of a known cycle, it crosses as many whole cycles as end
 * strictly before the next queued event (a timer tick, a frame, a wake) and before every deadline the
 * programs and sleeping threads name, in one step: time,
 * every counter, every thread's time split and the trace hash end exactly where simulating each pass would
 * have left them, and the pass it lands on runs normally. The tick itself is always simulated, so a lost
 * tick's stolen time, its re-arm and its drift need no model here.
 *
 * <p>What makes it exact: a cycle is only recorded over passes with no event fired or scheduled and no
 * call from outside (its continuations all ran inline), so the recorded passes are the core's own
 * deterministic work; a thread whose program cannot describe itself must not have run in it (checked when
 * the cycle closes); and a jump lands before anything that could make a pass differ from the recorded one.
 */
public final class FastForward {
    /** Listener calls recorded in a cycle and replayed in bulk. */
    public static final int PASS = 1;
    public static final int SWITCH = 2;
    public static final int CPU = 3;
    public static final int BOOST = 4;
    public static final int POLL = 5;
    /** The pass observer's call (replayed one by one, with its time). */
    private static final int OBSERVED = 6;
    /** A trace record (replayed one by one, with its time). */
    private static final int TRACE = -1;

    /** What the machine around the core provides: counters outside the core, and the replay of its listener calls. */
    public interface Host {
        /** Counters outside the core that the cycle's passes move (the network polls). */
        long[] extraCounters();

        void addExtraCounters(long[] delta);

        /** {@code count} listener calls of {@code type} with these arguments, {@code sum} of their values (CPU ns). */
        void replayListener(int type, String a, String b, long count, long sum);

        /** The pass observer's call for a crossed pass (only while one is set). */
        void replayObserved(long time, SimThread to);

        /** Whether a pass observer is set (its calls are then recorded and replayed one by one). */
        boolean observing();

        /** The trace, where the cycle's records are noted and replayed. */
        io.testbed.kernel.sim.time.Trace trace();
    }

    /** A listener call or trace record made during a recorded pass. */
    private record Op(int phase, long time, int type, long a, long b, long c, String s1, String s2, SimThread thread) {
    }

    private record Key(long[] sig) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(sig, k.sig);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(sig);
        }
    }

    /** One recorded pass: its signature, time, counters, and each slot's time since its state and run began. */
    private record Phase(Key key, long time, long[] counters, long[] since, long[] running) {
    }

    /** A closed cycle: P passes in L ns. */
    private static final class Cycle {
        final int p;
        final long length;
        final long[] off;
        final long[][] cum;
        final long[] delta;
        final long[][] since;
        final long[][] running;
        final boolean[] cyclingSince;
        final boolean[] cyclingRunning;
        final List<List<Op>> trace;
        /** The cycle's trace records in order, time from the cycle's start; where each phase's records begin. */
        final long[] recTime;
        final int[] recKind;
        final long[] recSubject;
        final long[] recValue;
        final int[] phaseStart;
        final List<List<Op>> listener;
        final Map<String, long[]> listenerPerCycle = new LinkedHashMap<>();
        /** One recorded call per key of {@link #listenerPerCycle}, for its arguments. */
        final Map<String, Op> listenerSample = new HashMap<>();

        Cycle(int p, long length, long[] off, long[][] cum, long[] delta, long[][] since, long[][] running,
              boolean[] cyclingSince, boolean[] cyclingRunning, List<List<Op>> trace, List<List<Op>> listener) {
            this.p = p;
            this.length = length;
            this.off = off;
            this.cum = cum;
            this.delta = delta;
            this.since = since;
            this.running = running;
            this.cyclingSince = cyclingSince;
            this.cyclingRunning = cyclingRunning;
            this.trace = trace;
            this.listener = listener;
            int records = 0;
            for (List<Op> ops : trace) {
                for (Op op : ops) {
                    if (op.type == TRACE) {
                        records++;
                    }
                }
            }
            recTime = new long[records];
            recKind = new int[records];
            recSubject = new long[records];
            recValue = new long[records];
            phaseStart = new int[p + 1];
            int r = 0;
            for (int j = 0; j < p; j++) {
                phaseStart[j] = r;
                for (Op op : trace.get(j)) {
                    if (op.type == TRACE) {
                        recTime[r] = op.time;
                        recKind[r] = (int) op.a;
                        recSubject[r] = op.b;
                        recValue[r] = op.c;
                        r++;
                    }
                }
            }
            phaseStart[p] = r;
            for (List<Op> ops : listener) {
                for (Op op : ops) {
                    long[] agg = listenerPerCycle.computeIfAbsent(op.type + "|" + op.s1 + "|" + op.s2, k -> new long[2]);
                    agg[0]++;
                    agg[1] += op.a;
                    listenerSample.putIfAbsent(op.type + "|" + op.s1 + "|" + op.s2, op);
                }
            }
        }
    }

    /**
     * Test only (FastForwardTest shows its comparison can fail): a jump then moves the counters and trace by this
     * many cycles fewer than the time it crosses. 0 in every real run.
     */
    static int skewForTest;

    private static final int MAX_RECORDED = 1024;
    private static final int MAX_PHASES = 16_384;
    /** A jump shorter than this many passes is not worth its bookkeeping; the passes are simulated. */
    private static final int MIN_JUMP = 4;
    private static final int CPU_COUNTERS = 9;
    private static final int PER_SLOT = 5 + 7 + 1;

    private final Cpu cpu;
    private final EventQueue events;
    private final MachineSettings settings;
    private Host host;

    private final List<Phase> recorded = new ArrayList<>();
    /** Notes every trace record while recording (made once: a recording starts often and mostly ends soon). */
    private final io.testbed.kernel.sim.time.Trace.Tap tap = (time, kind, subject, value) ->
            this.recordedOps.add(new Op(this.recorded.size() - 1, time, TRACE, kind, subject, value, null, null, null));
    private final Map<Key, Integer> recordedIndex = new HashMap<>();
    private final List<Op> recordedOps = new ArrayList<>();
    private boolean recording;
    private long epochAtStart = -1;
    /** The recording's pass where the cycle began again (its second round), or -1; the cycle's length in passes. */
    private int confirmFrom = -1;
    /** The recording's passes must all come before this (the first deadline of a program or a waiting thread). */
    private long recordingLimit;
    /** The shortest cycle found so far (ns): no stretch shorter than it can be crossed. */
    private long minCycleNs;
    private int period;
    /** Recording found no cycle to skip at this epoch: not again until something changes. */
    private long suppressedEpoch = -1;
    /** The runnable thread that could not describe itself at the last pass that asked (see {@link #undescribedRunnable}). */
    private SimThread lastUndescribed;
    private long outside;

    private final List<Cycle> cycles = new ArrayList<>();
    private final Map<Key, int[]> phases = new HashMap<>();

    private long jumps;
    private long skippedPasses;
    private long skippedNs;
    private long cyclesFound;

    FastForward(Cpu cpu, EventQueue events, MachineSettings settings) {
        this.cpu = cpu;
        this.events = events;
        this.settings = settings;
    }

    public void host(Host host) {
        this.host = host;
    }

    /** Something from outside the core changed the machine (a syscall delivered, a thread attached or killed). */
    public void outsideChange() {
        outside++;
    }

    /** Whether listener calls are being recorded (the host then reports them with {@link #listener}). */
    public boolean recording() {
        return recording;
    }

    /** A listener call made during a recorded pass. */
    public void listener(int type, String a, String b, long value) {
        recordedOps.add(new Op(recorded.size() - 1, 0, type, value, 0, 0, a, b, null));
    }

    /** The pass observer's call during a recorded pass. */
    public void observed(long time, SimThread to) {
        recordedOps.add(new Op(recorded.size() - 1, time, OBSERVED, 0, 0, 0, null, null, to));
    }

    public long jumps() {
        return jumps;
    }

    public long skippedPasses() {
        return skippedPasses;
    }

    public long skippedNs() {
        return skippedNs;
    }

    public long cyclesFound() {
        return cyclesFound;
    }

    private long epoch() {
        return events.fired() * 31 + events.scheduled() * 17 + outside;
    }

    /**
     * At the start of a scheduler pass at {@code now}: records, or crosses a stretch of a known cycle.
     * Returns the time the pass runs at (later than {@code now} after a jump).
     */
    long atPass(long now, Reason reason) {
        if (host == null) {
            return now;
        }
        long epoch = epoch();
        if (recording && epoch != epochAtStart) {
            stopRecording();
        }
        if (!recording && epoch == suppressedEpoch) {
            return now;
        }
        // cheap refusals first, so a machine busy with real work pays almost nothing: the thread that just ran cannot
        // describe itself, or no known cycle (no three, to record one) fits before the next event
        if (undescribedRunnable()) {
            // it may get the core (a READY one that never would is rare: coverage gives way to cost here)
            stopRecording();
            return now;
        }
        long room = events.peekTime() - now;
        if (room < (recording ? 0 : minCycleNs) || (!recording && phases.isEmpty() && room < 3 * minCycleNs)) {
            return now;
        }
        long[] sig = signature(reason);
        if (sig == null) {
            stopRecording();
            return now;
        }
        Key key = new Key(sig);
        int[] known = phases.get(key);
        if (known != null) {
            stopRecording();
            return jump(cycles.get(known[0]), known[1], now);
        }
        if (recording && now >= recordingLimit) {
            stopRecording(); // a deadline came: the passes from here on may differ from the ones before
        }
        if (!recording) {
            if (epoch == suppressedEpoch || room < 3 * minCycleNs) {
                return now;
            }
            startRecording(epoch);
            recordingLimit = quietUntil(now);
        }
        if (confirmFrom >= 0) {
            // the second time round: every pass must repeat the first; the cycle is taken from this round, where each
            // thread's last state change (and last switch-in) lies within the cycle, as in every later round
            int idx = recorded.size();
            if (!recorded.get(idx - period).key().equals(key)) {
                stopRecording();
                suppressedEpoch = epoch;
                return now;
            }
            if (idx == confirmFrom + period) {
                Cycle c = close(confirmFrom, now);
                stopRecording();
                if (c == null) {
                    suppressedEpoch = epoch;
                    return now;
                }
                return jump(c, 0, now);
            }
        } else {
            Integer seen = recordedIndex.get(key);
            if (seen != null) {
                confirmFrom = recorded.size();
                period = confirmFrom - seen;
            }
        }
        if (recorded.size() >= MAX_RECORDED) {
            stopRecording();
            suppressedEpoch = epoch;
            return now;
        }
        recorded.add(new Phase(key, now, counters(now), sinceOf(now, false), sinceOf(now, true)));
        recordedIndex.put(key, recorded.size() - 1);
        return now;
    }

    /**
     * Whether a runnable thread's program cannot describe itself. The thread that answered yes last time is
     * asked first: in a would-block loop it is the same one pass after pass (ffPhase has no side effects, so
     * the answer is the scan's).
     */
    private boolean undescribedRunnable() {
        SimThread last = lastUndescribed;
        if (last != null && last.state.runnable() && cpu.slot(last.tid) == last
                && last.program.ffPhase() == ThreadProgram.FF_UNSUPPORTED) {
            return true;
        }
        SimThread[] occupied = cpu.occupied();
        for (int i = 0, n = cpu.occupiedCount(); i < n; i++) {
            SimThread t = occupied[i];
            if (t != last && t.state.runnable() && t.program.ffPhase() == ThreadProgram.FF_UNSUPPORTED) {
                lastUndescribed = t;
                return true;
            }
        }
        return false;
    }

    private void startRecording(long epoch) {
        recording = true;
        epochAtStart = epoch;
        forgetRecorded();
        recordedOps.clear();
        confirmFrom = -1;
        host.trace().tap(tap);
    }

    /**
     * Empties {@link #recorded} and {@link #recordedIndex}. Most recordings end after a pass or two, and
     * HashMap.clear() sweeps the whole table a long recording once grew: the few keys are removed instead.
     */
    private void forgetRecorded() {
        if (recorded.size() <= 64) {
            for (Phase ph : recorded) {
                recordedIndex.remove(ph.key());
            }
        } else {
            recordedIndex.clear();
        }
        recorded.clear();
    }

    private void stopRecording() {
        if (recording) {
            recording = false;
            confirmFrom = -1;
            host.trace().tap(null);
            forgetRecorded();
            recordedOps.clear();
        }
    }

    /**
     * The machine's discrete state at a pass, modulo time and counters, or null when it cannot be skipped:
     * the live clock, a policy or a running program that cannot describe itself.
     */
    private long[] signature(Reason reason) {
        long[] policy = cpu.policy().ffState();
        if (policy == null || cpu.waitingForClient() != null) {
            return null;
        }
        SimThread[] slots = cpu.slots();
        int occupied = 0;
        for (SimThread t : slots) {
            if (t != null) {
                occupied++;
            }
        }
        long[] s = new long[9 + policy.length + occupied * 5];
        int i = 0;
        s[i++] = reason.ordinal();
        s[i++] = cpu.current() == null ? -1 : cpu.current().serial;
        s[i++] = cpu.ffFlags();
        s[i++] = cpu.ffStolen();
        s[i++] = cpu.ffRunningStolen();
        // an I/O event at this instant makes a blocking step look again; one before it cannot matter any more
        s[i++] = cpu.ffLastIoEvent() >= events.now() ? 1 : 0;
        s[i++] = cpu.ffYieldHint();
        s[i++] = policy.length;
        s[i++] = occupied;
        for (long v : policy) {
            s[i++] = v;
        }
        // the occupied slots only (a thread's serial names its slot's occupant); a waiting thread's wake time bounds
        // recordings and jumps instead (quietUntil), so threads waiting for different times share cycles
        for (int slot = 0; slot < slots.length; slot++) {
            SimThread t = slots[slot];
            if (t == null) {
                continue;
            }
            long phase = t.program.ffPhase();
            if (phase == ThreadProgram.FF_UNSUPPORTED && t == cpu.current() && t.state.runnable()) {
                return null; // it has just run and may run again: its program's state is not described
            }
            s[i++] = slot;
            s[i++] = t.serial;
            s[i++] = t.state.ordinal();
            s[i++] = t.ffBucketState() * 2 + (t.blockedOnIo ? 1 : 0);
            s[i++] = phase;
        }
        return s;
    }

    /**
     * Every counter a pass may move, in a fixed layout (see {@link #apply}): the core's, the host's, then
     * {@link #PER_SLOT} per occupied slot in slot order. The occupied slots are the same at every pass of a
     * recording (a thread comes or goes only from outside, which ends it, or by an exit, which a thread that
     * cannot describe itself makes) and at every pass with a known phase (the signature names each occupant).
     */
    private long[] counters(long now) {
        SimThread[] occupied = cpu.occupied();
        int n = cpu.occupiedCount();
        long[] extra = host.extraCounters();
        long[] c = new long[CPU_COUNTERS + extra.length + n * PER_SLOT];
        cpu.ffCounters(c);
        System.arraycopy(extra, 0, c, CPU_COUNTERS, extra.length);
        int i = CPU_COUNTERS + extra.length;
        for (int k = 0; k < n; k++, i += PER_SLOT) {
            SimThread t = occupied[k];
            c[i] = t.cpuNs;
            c[i + 1] = t.userCpuNs;
            c[i + 2] = t.slots;
            c[i + 3] = t.switchesIn;
            c[i + 4] = t.fsNs;
            t.timeIn(now, c, i + 5);
            c[i + 12] = t.program.ffCounter();
        }
        return c;
    }

    private long[] sinceOf(long now, boolean running) {
        SimThread[] slots = cpu.slots();
        long[] r = new long[slots.length];
        for (int i = 0; i < slots.length; i++) {
            SimThread t = slots[i];
            r[i] = t == null ? 0 : now - (running ? t.runningSince : t.stateSince);
        }
        return r;
    }

    /** Closes the cycle from recorded pass {@code from} to now; null if it is not one that may be skipped. */
    private Cycle close(int from, long now) {
        int p = recorded.size() - from;
        Phase first = recorded.get(from);
        long length = now - first.time();
        if (p <= 0 || length <= 0) {
            return null;
        }
        long[] end = counters(now);
        long[] delta = minus(end, first.counters());
        long[] endSince = sinceOf(now, false);
        long[] endRunning = sinceOf(now, true);
        SimThread[] slots = cpu.slots();
        SimThread[] occupied = cpu.occupied();
        int base = CPU_COUNTERS + host.extraCounters().length;
        boolean[] cyclingSince = new boolean[slots.length];
        boolean[] cyclingRunning = new boolean[slots.length];
        for (int k = 0, n = cpu.occupiedCount(); k < n; k++) {
            SimThread t = occupied[k];
            int i = t.tid;
            // the interval it is in: unchanged across the cycle (time since grew by L) or begun within it
            cyclingSince[i] = endSince[i] != first.since()[i] + length;
            cyclingRunning[i] = endRunning[i] != first.running()[i] + length;
            if (t.program.ffPhase() == ThreadProgram.FF_UNSUPPORTED) {
                int o = base + k * PER_SLOT;
                boolean ran = delta[o] != 0 || delta[o + 2] != 0 || delta[o + 3] != 0 || delta[o + 4] != 0;
                if (ran || cyclingSince[i] || cyclingRunning[i]) {
                    return null; // a thread that cannot describe itself ran: its program's state may have moved
                }
            }
        }
        long[] off = new long[p];
        long[][] cum = new long[p][];
        long[][] since = new long[p][];
        long[][] running = new long[p][];
        for (int j = 0; j < p; j++) {
            Phase ph = recorded.get(from + j);
            off[j] = ph.time() - first.time();
            cum[j] = minus(ph.counters(), first.counters());
            since[j] = ph.since();
            running[j] = ph.running();
        }
        List<List<Op>> trace = new ArrayList<>();
        List<List<Op>> listener = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            trace.add(new ArrayList<>());
            listener.add(new ArrayList<>());
        }
        for (Op op : recordedOps) {
            if (op.phase() < from) {
                continue;
            }
            Op rel = new Op(op.phase() - from, op.time() - first.time(), op.type(), op.a(), op.b(), op.c(), op.s1(),
                    op.s2(), op.thread());
            (op.type() >= PASS && op.type() <= POLL ? listener : trace).get(rel.phase()).add(rel);
        }
        Cycle c = new Cycle(p, length, off, cum, delta, since, running, cyclingSince, cyclingRunning, trace, listener);
        if (phases.size() + p > MAX_PHASES) {
            phases.clear();
            cycles.clear();
        }
        cycles.add(c);
        minCycleNs = minCycleNs == 0 ? length : Math.min(minCycleNs, length);
        for (int j = 0; j < p; j++) {
            phases.put(recorded.get(from + j).key(), new int[] {cycles.size() - 1, j});
        }
        cyclesFound++;
        return c;
    }

    private static long[] minus(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** The counters' change from the cycle's start to extended pass index {@code e}. */
    private static long cum(Cycle c, long e, int i) {
        return (e / c.p) * c.delta[i] + c.cum[(int) (e % c.p)][i];
    }

    /**
     * At phase {@code phase} of cycle {@code c} at {@code now}: crosses as many passes as end before the next
     * event and every deadline, and returns the time of the pass it lands on.
     */
    private long jump(Cycle c, int phase, long now) {
        long next = events.peekTime();
        long limit = Math.min(next, quietUntil(now));
        if (limit <= now || limit == Long.MAX_VALUE) {
            return now;
        }
        if (limit == next) {
            // whatever happens next, no whole cycle fits before that event any more: nothing to look for until it fires
            suppressedEpoch = epoch();
        }
        // whole cycles only: the pass it lands on is in the same discrete state as this one (the policy's counters, who
        // holds the core, each program's phase are as they are now); it runs normally and must come before the limit
        long whole = (limit - 1 - now) / c.length;
        long n = whole * c.p;
        if (whole < 1 || n < MIN_JUMP) {
            return now;
        }
        long base = c.off[phase];
        long land = phase + n;
        long at = now + whole * c.length;
        long counted = skewForTest > 0 && n > (long) skewForTest * c.p ? n - (long) skewForTest * c.p : n;
        apply(c, phase, phase + counted, now, at);
        replay(c, phase, counted, now, base);
        events.advanceTo(at);
        jumps++;
        skippedPasses += n;
        skippedNs += at - now;
        return at;
    }

    /**
     * The earliest time from which a crossed pass could differ from the recorded one: a running program's
     * deadline (a TCP timer, the SSH accept timeout), a waiting thread's wake time.
     */
    private long quietUntil(long now) {
        long until = Long.MAX_VALUE;
        SimThread[] occupied = cpu.occupied();
        for (int i = 0, n = cpu.occupiedCount(); i < n; i++) {
            SimThread t = occupied[i];
            if (t.state == ThreadState.WAITING) {
                until = Math.min(until, cpu.ffWakeTime(t));
            }
            if (t.program.ffPhase() != ThreadProgram.FF_UNSUPPORTED) {
                until = Math.min(until, t.program.ffQuietUntil(now));
            }
        }
        return until;
    }

    /** Moves every counter and time split from cycle index {@code from} to {@code land}. */
    private void apply(Cycle c, int from, long land, long now, long at) {
        long[] d = new long[c.delta.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = cum(c, land, i) - c.cum[from][i];
        }
        cpu.ffAddCounters(d);
        long[] extra = host.extraCounters();
        host.addExtraCounters(Arrays.copyOfRange(d, CPU_COUNTERS, CPU_COUNTERS + extra.length));
        int o = CPU_COUNTERS + extra.length;
        SimThread[] occupied = cpu.occupied();
        int landPhase = (int) (land % c.p);
        for (int k = 0, n = cpu.occupiedCount(); k < n; k++, o += PER_SLOT) {
            SimThread t = occupied[k];
            int i = t.tid;
            t.cpuNs += d[o];
            t.userCpuNs += d[o + 1];
            t.slots += d[o + 2];
            t.switchesIn += d[o + 3];
            t.fsNs += d[o + 4];
            long[] in = t.timeIn(now);
            for (int b = 0; b < 7; b++) {
                in[b] += d[o + 5 + b];
            }
            long since = c.cyclingSince[i] ? at - c.since[landPhase][i] : t.stateSince;
            t.ffRestore(in, at, since);
            if (c.cyclingRunning[i]) {
                t.runningSince = at - c.running[landPhase][i];
            }
            if (d[o + 12] != 0) {
                t.program.ffAdvance(d[o + 12]);
            }
        }
    }

    /** Replays the crossed passes' trace records (in order) and listener calls (in bulk). */
    private void replay(Cycle c, int phase, long n, long now, long base) {
        io.testbed.kernel.sim.time.Trace trace = host.trace();
        long wholeCycles = n / c.p;
        int split = c.phaseStart[phase];
        int end = c.phaseStart[c.p];
        for (long j = 0; j < wholeCycles; j++) {
            long shift = now - base + j * c.length;
            trace.replay(c.recTime, c.recKind, c.recSubject, c.recValue, split, end, shift);
            trace.replay(c.recTime, c.recKind, c.recSubject, c.recValue, 0, split, shift + c.length);
        }
        if (host.observing()) {
            for (long q = 0; q < n; q++) {
                long e = phase + q;
                long shift = now + (e / c.p) * c.length - base;
                for (Op op : c.trace.get((int) (e % c.p))) {
                    if (op.type() == OBSERVED) {
                        host.replayObserved(op.time() + shift, op.thread());
                    }
                }
            }
        }
        for (Map.Entry<String, long[]> e : c.listenerPerCycle.entrySet()) {
            Op op = c.listenerSample.get(e.getKey());
            host.replayListener(op.type(), op.s1(), op.s2(), e.getValue()[0] * wholeCycles, e.getValue()[1] * wholeCycles);
        }
    }
}
