package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.fs.FileSystem;
import io.testbed.kernel.sim.net.NetworkStack;
import io.testbed.kernel.sim.sched.SimThread;

/** What syscall handlers may use of the machine. */
public interface SyscallHost {
    MachineSettings settings();

    NetworkStack network();

    /** Whether the network is up (Akuma's NETWORK_READY); ENETDOWN before. */
    boolean networkUp(long now);

    /** The scheduling policy's hook: this thread's syscall found no data. */
    void wouldBlock(long now, SimThread thread);

    /** A syscall returned (for stats, metrics, trace). */
    void syscallReturned(long now, SimThread thread, String name, long ret, int errno);

    /**
     * The syscall changed a socket (data queued, window opened, connect, close). An interrupt-driven
     * stack transmits now; a polled one waits for its next poll.
     */
    void kick(long now);

    /** direct-poll: the syscall polls the stack itself; returns the CPU time it took (0 in other modes). */
    long directPoll(long now);

    /** The machine's file system (one per machine, shared by its threads). */
    FileSystem fileSystem();

    /** Simulated wall-clock epoch for CLOCK_REALTIME, in ns. */
    long realtimeEpochNs();
}
