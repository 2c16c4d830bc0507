package io.testbed.kernel.sim.sched;

/**
 * A thread slot's occupant: its scheduling state and CPU accounting. What it runs is its
 * {@link ThreadProgram}; user threads carry their syscall state in the program.
 */
public final class SimThread {
    private static final java.util.concurrent.atomic.AtomicLong SERIALS = new java.util.concurrent.atomic.AtomicLong();
    /** Identifies this occupant among every thread ever created (a reused slot holds another). */
    final long serial = SERIALS.incrementAndGet();
    public final int tid;
    public final String name;
    /** The id of what a user thread works for ({@code Attach.owner}), empty if none; never read by the engine. */
    public String owner = "";
    public final ThreadKind kind;
    public ThreadState state = ThreadState.READY;
    /** For WAITING: the simulated time from which a scheduler pass may wake it. */
    public long wakeAt;
    public ThreadProgram program;
    /** WAITING for I/O (a socket event), not only for time. */
    public boolean blockedOnIo;
    /** When it last got the core (Akuma's start_time_us; the cooperative timeout counts from here). */
    public long runningSince;

    public long cpuNs;
    /** Userspace CPU run so far; of it {@link #userCpuTlsNs} and {@link #userCpuPackNs} as the client declared them. */
    public long userCpuNs;
    public long userCpuTlsNs;
    public long userCpuPackNs;
    /** The TLS and pack parts of the declared userspace CPU not run yet ({@link #declareUserCpu}). */
    private long tlsDue;
    private long packDue;
    public long slots;
    public long switchesIn;

    // time in each state (issue 15, "where the time went"): the closed intervals; the open one is
    // the current state since stateSince (see timeIn)
    /** Simulated time of the thread's creation (its slot's install). */
    public long bornNs;
    /** Since when the thread is in its current state. */
    public long stateSince;
    /** Whether the current WAITING interval is a wait for I/O (blocked) rather than for time (sleep). */
    private boolean waitOnIo;
    /**
     * Closed time per bucket, indexed as {@link #timeIn} returns it: ready, running, sleeping, I/O wait,
     * off-CPU, and inside a socket read that has found no data yet (Akuma's recvfrom yield loop) ready and running.
     */
    private final long[] timeNs = new long[7];
    private boolean polling;
    /** Kernel time in file-system work (sectors, bitmap scans, waiting for the FS lock) on its behalf. */
    public long fsNs;

    public SimThread(int tid, String name, ThreadKind kind, ThreadProgram program) {
        this.tid = tid;
        this.name = name;
        this.kind = kind;
        this.program = program;
    }

    /**
     * The client declared its next userspace run's TLS and pack parts ({@code SyscallRequest.user_cpu_tls_ns},
     * {@code user_cpu_pack_ns}); {@link #chargeUser} books the run against them.
     */
    public void declareUserCpu(long tlsNs, long packNs) {
        tlsDue = tlsNs;
        packDue = packNs;
    }

    /**
     * The thread ran {@code ns} in userspace (the whole declared run, or the part before a tick preempted it).
     * The time goes to the declared TLS part first, then the pack part, the rest to other: a run cut short
     * (the thread killed in userspace) books its parts in that order; a whole run books exactly what was declared.
     */
    public void chargeUser(long ns) {
        userCpuNs += ns;
        long tls = Math.min(ns, tlsDue);
        tlsDue -= tls;
        userCpuTlsNs += tls;
        long pack = Math.min(ns - tls, packDue);
        packDue -= pack;
        userCpuPackNs += pack;
    }

    /** Sets the creation time: the thread starts in its state from {@code now}. */
    public void born(long now) {
        bornNs = now;
        stateSince = now;
        waitOnIo = state == ThreadState.WAITING && blockedOnIo;
    }

    /**
     * Moves to {@code next} at {@code now}, adding the time since the last change to the state it leaves.
     * A WAITING interval counts as I/O wait if {@link #blockedOnIo} was set when it began.
     */
    public void setState(ThreadState next, long now) {
        close(now);
        state = next;
        waitOnIo = next == ThreadState.WAITING && blockedOnIo;
    }

    /**
     * Marks the start ({@code on}) or end of a socket read's wait for data at {@code now}: the READY and
     * RUNNING time in between counts as waiting on the network (the "ready while polling" and "running while
     * polling" buckets of {@link #timeIn}).
     */
    public void polling(boolean on, long now) {
        if (on != polling) {
            close(now);
            polling = on;
        }
    }

    private void close(long now) {
        int bucket = bucket();
        if (bucket >= 0) {
            timeNs[bucket] += Math.max(0, now - stateSince);
        }
        stateSince = Math.max(stateSince, now);
    }

    /** The bucket of {@link #timeNs} the current interval goes to, or -1 (terminated). */
    private int bucket() {
        return switch (state) {
            case READY -> polling ? 5 : 0;
            case RUNNING -> polling ? 6 : 1;
            case WAITING -> waitOnIo ? 3 : 2;
            case OFF_CPU -> 4;
            case TERMINATED -> -1;
        };
    }

    /**
     * Time in each state up to {@code now} (the open interval included), in ns: ready, running, sleeping,
     * I/O wait, off-CPU, ready while polling, running while polling. A terminated thread's figures stop at its exit.
     */
    public long[] timeIn(long now) {
        long[] r = timeNs.clone();
        int bucket = bucket();
        if (bucket >= 0) {
            r[bucket] += Math.max(0, now - stateSince);
        }
        return r;
    }

    /** {@link #timeIn} written into {@code out} from {@code off} (7 values), without a new array. */
    void timeIn(long now, long[] out, int off) {
        System.arraycopy(timeNs, 0, out, off, timeNs.length);
        int bucket = bucket();
        if (bucket >= 0) {
            out[off + bucket] += Math.max(0, now - stateSince);
        }
    }

    /** The bucket the current interval goes to and whether a socket read is waiting (fast-forward's state). */
    long ffBucketState() {
        return bucket() * 4L + (polling ? 2 : 0) + (waitOnIo ? 1 : 0);
    }

    /**
     * Fast-forward: sets the time split so that {@link #timeIn}{@code (now)} is {@code timeIn} and the current
     * interval began at {@code since}.
     */
    void ffRestore(long[] timeIn, long now, long since) {
        System.arraycopy(timeIn, 0, timeNs, 0, timeNs.length);
        stateSince = since;
        int bucket = bucket();
        if (bucket >= 0) {
            timeNs[bucket] -= Math.max(0, now - since);
        }
    }

    @Override
    public String toString() {
        return kind.label() + "#" + tid + "(" + name + "," + state + ")";
    }
}
