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

    /** One simulated thread's share of the core. */
    public record ThreadStat(int tid, String name, String kind, String state, long cpuNs, long slots, long switchesIn) {
    }
}
