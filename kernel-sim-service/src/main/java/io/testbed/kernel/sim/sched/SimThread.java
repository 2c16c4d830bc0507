package io.testbed.kernel.sim.sched;

/**
 * A thread slot's occupant: its scheduling state and CPU accounting. What it runs is its
 * {@link ThreadProgram}; user threads carry their syscall state in the program.
 */
public final class SimThread {
    public final int tid;
    public final String name;
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
    public long userCpuNs;
    public long slots;
    public long switchesIn;

    public SimThread(int tid, String name, ThreadKind kind, ThreadProgram program) {
        this.tid = tid;
        this.name = name;
        this.kind = kind;
        this.program = program;
    }

    @Override
    public String toString() {
        return kind.label() + "#" + tid + "(" + name + "," + state + ")";
    }
}
