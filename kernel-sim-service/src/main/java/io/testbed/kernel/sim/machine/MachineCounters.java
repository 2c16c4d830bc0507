package io.testbed.kernel.sim.machine;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Counters;
import io.testbed.kernel.sim.sched.Cpu;
import io.testbed.kernel.sim.sched.FastForward;
import io.testbed.kernel.sim.session.InteractiveSessions;

import java.util.Map;
import java.util.TreeMap;

/** A machine's counters ({@code MachineStats.counters}), by the names in {@link Counters}. */
final class MachineCounters {
    private MachineCounters() {
    }

    static Map<String, Long> of(MachineModel m) {
        Cpu cpu = m.cpu();
        InteractiveSessions sessions = m.sessions();
        FastForward ff = m.fastForward();
        Map<String, Long> c = new TreeMap<>();
        c.put(Counters.PASSES, cpu.passes());
        c.put(Counters.CONTEXT_SWITCHES, cpu.contextSwitches());
        c.put(Counters.TICKS, cpu.ticks());
        c.put(Counters.BOOSTS, cpu.boosts());
        c.put(Counters.TICKS_LOST, cpu.lostTicks());
        c.put(Counters.TICKS_DEFERRED, cpu.deferredTicks());
        c.put(Counters.HALTED_NS, cpu.haltedNs());
        c.put(Counters.NETWORK_POLLS, m.net().polls());
        c.put(Counters.FRAMES_IN, m.net().framesIn());
        c.put(Counters.SEGMENTS_OUT, m.net().segmentsOut());
        c.put(Counters.NIC_FRAMES_HELD, m.net().nic().framesHeld());
        c.put(Counters.NIC_FRAMES_DROPPED, m.net().nic().framesDropped());
        c.put(Counters.LINK_DOWN_FRAMES, m.net().downlink().frames());
        c.put(Counters.LINK_DOWN_BYTES, m.net().downlink().bytes());
        c.put(Counters.RETRANSMITS_REMOTE, m.net().remoteRetransmits());
        c.put(Counters.RETRANSMITS_LOCAL, m.net().socketRetransmits());
        c.put(Counters.SEGMENTS_LOST, m.net().segmentsLost());
        c.put(Counters.UPSTREAM_LATE_ARRIVALS, m.net().lateArrivals());
        c.put(Counters.UPSTREAM_QUIET_DECISIONS, m.net().quietDecisions());
        c.put(Counters.UPSTREAM_MARKS, m.net().upstreamMarks());
        c.put(Counters.REMOTE_PEERS, (long) m.net().remoteCount());
        c.put(Counters.SOCKETS_OPEN, (long) m.net().socketCount());
        c.put(Counters.USER_THREADS, (long) m.userThreadCount());
        c.put(Counters.USER_THREADS_CREATED, m.userThreadsCreated());
        c.put(Counters.USER_THREADS_KILLED, m.threadsKilled());
        c.put(Counters.EVENTS, m.events().fired() + cpu.inlineSteps());
        c.put(Counters.EVENTS_QUEUED, m.events().fired());
        c.put(Counters.SESSIONS, (long) sessions.count());
        c.put(Counters.KEYSTROKES, sessions.keystrokes());
        c.put(Counters.ECHOES, sessions.echoes());
        c.put(Counters.ECHO_LATENCY_P50_NS, sessions.latencyQuantile(0.50));
        c.put(Counters.ECHO_LATENCY_P99_NS, sessions.latencyQuantile(0.99));
        c.put(Counters.ECHO_LATENCY_MAX_NS, sessions.latencyQuantile(1.0));
        c.put(Counters.QUIESCENT, m.quiescent() ? 1L : 0L);
        c.put(Counters.HELD_AT_STOP_TIME, m.atStopTime() ? 1L : 0L);
        c.put(Counters.WAITING_FOR_THREADS, m.waitingForThreads() ? m.settings().getInt(Settings.MACHINE_START_AFTER_THREADS) - m.userThreadsCreated() : 0L);
        c.put(Counters.AT_TIME_LIMIT, m.atTimeLimit() ? 1L : 0L);
        c.put(Counters.TIME_LIMIT_KILLS, m.timeLimitKills());
        c.put(Counters.TRACE_HASH, m.trace().hash());
        c.put(Counters.TRACE_RECORDS, m.trace().records());
        // how much the fast-forward crossed: not part of the model's outputs (the rest is identical with it off)
        c.put(Counters.FF_JUMPS, ff == null ? 0 : ff.jumps());
        c.put(Counters.FF_SKIPPED_PASSES, ff == null ? 0 : ff.skippedPasses());
        c.put(Counters.FF_SKIPPED_NS, ff == null ? 0 : ff.skippedNs());
        c.put(Counters.FF_CYCLES, ff == null ? 0 : ff.cyclesFound());
        m.syscallCounts().forEach((k, v) -> c.put(Counters.SYSCALLS_PREFIX + k, v[0]));
        m.errnoCounts().forEach((k, v) -> c.put(Counters.ERRNO_PREFIX + k, v[0]));
        c.putAll(m.fs().counters());
        return c;
    }
}
