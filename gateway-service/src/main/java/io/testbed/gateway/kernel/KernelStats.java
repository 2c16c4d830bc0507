package io.testbed.gateway.kernel;

import java.util.List;
import java.util.Map;

/**
 * A machine's counters and per-thread CPU at the end of a download ({@code MachineStats}).
 *
 * @param nowNs    the machine's clock when the stats were read
 * @param counters counter name -> value (context_switches, boosts, network_polls, syscalls.*, errno.*, ...)
 * @param threads  one entry per simulated thread, kernel threads included
 */
public record KernelStats(long nowNs, Map<String, Long> counters, List<ThreadStat> threads) {

    /**
     * One simulated thread's share of the core, and where its time went (simulated ns; zero from a kernel
     * that does not report them): running ({@code userCpuNs} of it in userspace, of that {@code userCpuTlsNs}
     * and {@code userCpuPackNs} as the client declared them; {@code fsNs} in file-system work), ready but not scheduled, ready or running inside a socket read with no data yet ({@code poll*}), sleeping, waiting for I/O, off the CPU; from its creation
     * ({@code bornNs}) to its exit ({@code endedNs}, 0 while alive) or the stats' time.
     */
    public record ThreadStat(int tid, String name, String kind, String state, long cpuNs, long slots, long switchesIn,
                             long userCpuNs, long readyNs, long runningNs, long sleepingNs, long ioWaitNs, long offCpuNs,
                             long fsNs, long bornNs, long endedNs, long pollReadyNs, long pollRunningNs,
                             long userCpuTlsNs, long userCpuPackNs, String owner) {

        public ThreadStat(int tid, String name, String kind, String state, long cpuNs, long slots, long switchesIn) {
            this(tid, name, kind, state, cpuNs, slots, switchesIn, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "");
        }
    }
}
