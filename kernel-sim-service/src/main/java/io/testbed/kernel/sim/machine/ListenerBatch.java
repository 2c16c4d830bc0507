package io.testbed.kernel.sim.machine;

import io.testbed.kernel.sim.sched.ThreadKind;
import io.testbed.kernel.sim.sched.policy.SchedulingPolicy.Reason;

import java.util.Arrays;

/**
 * The listener calls a machine makes at every scheduler pass and CPU step (passes by reason and kind,
 * context switches, CPU time by kind, boosts, network polls), added up in plain arrays on the engine
 * thread and handed to the {@link KernelListener}'s bulk methods in one go: at every syscall's return, when
 * a thread ends or is killed, when the machine is read or goes quiescent, and at least every
 * {@value #FLUSH_EVERY} passes. A listener (the service's Micrometer counters) then pays per syscall instead
 * of per pass; its totals at each hand-over are the ones the single calls would have given.
 */
final class ListenerBatch {
    static final int FLUSH_EVERY = 1 << 16;
    private static final Reason[] REASONS = Reason.values();
    private static final ThreadKind[] KINDS = ThreadKind.values();
    /** The boost reasons the policies name (others are reported at once). */
    private static final String[] BOOSTS = {"ratio", "always", "poll-request", "hint"};

    private final KernelListener listener;
    private final long[] passes = new long[REASONS.length * KINDS.length];
    private final long[] cpuNs = new long[KINDS.length];
    private final long[] boosts = new long[BOOSTS.length];
    private long switches;
    private long polls;
    private int sinceFlush;
    private boolean dirty;

    ListenerBatch(KernelListener listener) {
        this.listener = listener;
    }

    void pass(Reason reason, ThreadKind kind, boolean switched) {
        passes[reason.ordinal() * KINDS.length + kind.ordinal()]++;
        if (switched) {
            switches++;
        }
        dirty = true;
        if (++sinceFlush >= FLUSH_EVERY) {
            flush();
        }
    }

    void cpuTime(ThreadKind kind, long ns) {
        cpuNs[kind.ordinal()] += ns;
        dirty = true;
    }

    void boost(String reason) {
        for (int i = 0; i < BOOSTS.length; i++) {
            if (BOOSTS[i].equals(reason)) {
                boosts[i]++;
                dirty = true;
                return;
            }
        }
        listener.boost(reason);
    }

    void networkPoll() {
        polls++;
        dirty = true;
    }

    // the fast-forward's replay of crossed passes, by the labels it recorded

    void passes(String reason, String kind, long n) {
        passes[indexOf(REASONS, reason) * KINDS.length + indexOf(KINDS, kind)] += n;
        dirty = true;
    }

    void contextSwitches(long n) {
        switches += n;
        dirty = true;
    }

    void cpuTime(String kind, long ns) {
        cpuNs[indexOf(KINDS, kind)] += ns;
        dirty = true;
    }

    void boosts(String reason, long n) {
        for (int i = 0; i < BOOSTS.length; i++) {
            if (BOOSTS[i].equals(reason)) {
                boosts[i] += n;
                dirty = true;
                return;
            }
        }
        listener.boosts(reason, n);
    }

    void networkPolls(long n) {
        polls += n;
        dirty = true;
    }

    private static int indexOf(Reason[] values, String label) {
        for (Reason r : values) {
            if (r.label().equals(label)) {
                return r.ordinal();
            }
        }
        throw new IllegalArgumentException("pass reason " + label);
    }

    private static int indexOf(ThreadKind[] values, String label) {
        for (ThreadKind k : values) {
            if (k.label().equals(label)) {
                return k.ordinal();
            }
        }
        throw new IllegalArgumentException("thread kind " + label);
    }

    /** Hands everything added up so far to the listener. */
    void flush() {
        sinceFlush = 0;
        if (!dirty) {
            return;
        }
        dirty = false;
        for (int r = 0; r < REASONS.length; r++) {
            for (int k = 0; k < KINDS.length; k++) {
                long n = passes[r * KINDS.length + k];
                if (n != 0) {
                    listener.passes(REASONS[r].label(), KINDS[k].label(), n);
                }
            }
        }
        Arrays.fill(passes, 0);
        if (switches != 0) {
            listener.contextSwitches(switches);
            switches = 0;
        }
        for (int k = 0; k < KINDS.length; k++) {
            if (cpuNs[k] != 0) {
                listener.cpuTime(KINDS[k].label(), cpuNs[k]);
                cpuNs[k] = 0;
            }
        }
        for (int i = 0; i < BOOSTS.length; i++) {
            if (boosts[i] != 0) {
                listener.boosts(BOOSTS[i], boosts[i]);
                boosts[i] = 0;
            }
        }
        if (polls != 0) {
            listener.networkPolls(polls);
            polls = 0;
        }
    }
}
