package io.testbed.kernel.sim.sched;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.runtime.UpstreamGate;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.machine.MachineModel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The timer as Akuma re-arms it: periods of tick + latency (relative) or an exact grid (absolute). */
class TimerDriftTest {
    private static final long MS = 1_000_000L;

    /** A machine with only the idle and network threads (no herd), run for {@code untilNs}; returns the tick times. */
    private static List<Long> ticks(Map<String, String> overrides, long untilNs, ThreadProgram extra) {
        Map<String, String> o = new LinkedHashMap<>(Map.of("threads.herd", "off", "timer.irq_latency_us", "500",
                "cost.irq_entry_ns", "2000"));
        o.putAll(overrides);
        MachineSettings settings = Profiles.resolve("akuma-7b52ac2", o);
        MachineModel m = new MachineModel(settings, true, 7, UpstreamGate.peers(settings, () -> 0L, true, (h, p, l) -> null),
                KernelListener.NONE);
        if (extra != null) {
            m.spawn("extra", ThreadKind.USER, MachineModel.FIRST_USER_SLOT, extra);
        }
        List<Long> t = new ArrayList<>();
        m.cpu().observeTicks(t::add);
        while (m.events().peekTime() <= untilNs) {
            m.events().fireNext();
        }
        return t;
    }

    @Test
    @DisplayName("relative re-arm: every period is the tick plus the IRQ latency plus the timer IRQ's entry")
    void relative_periodsAreTickPlusLatency() {
        List<Long> t = ticks(Map.of("timer.rearm", "relative"), 500 * MS, null);
        assertThat(t).hasSizeGreaterThan(40);
        assertThat(t.get(0)).isEqualTo(10 * MS + 500_000);
        for (int i = 1; i < t.size(); i++) {
            assertThat(t.get(i) - t.get(i - 1)).isEqualTo(10 * MS + 500_000 + 2_000);
        }
    }

    @Test
    @DisplayName("absolute re-arm: the ticks stay on the 10 ms grid (plus the constant latency)")
    void absolute_staysOnTheGrid() {
        List<Long> t = ticks(Map.of("timer.rearm", "absolute"), 500 * MS, null);
        for (int i = 0; i < t.size(); i++) {
            assertThat(t.get(i)).isEqualTo((i + 1) * 10 * MS + 500_000);
        }
    }

    @Test
    @DisplayName("an IRQ-off window delays the handler to its end, and with relative re-arm the whole schedule after it")
    void irqOffWindow_delaysTheTickAndTheScheduleDrifts() {
        // a thread that spends 3 ms at a time with IRQs masked, then yields
        ThreadProgram masked = now -> Step.yield(3 * MS).irqsOff();
        List<Long> rel = ticks(Map.of("timer.rearm", "relative"), 1_000 * MS, masked);
        List<Long> abs = ticks(Map.of("timer.rearm", "absolute"), 1_000 * MS, masked);
        long minPeriod = rel.get(1) - rel.get(0);
        for (int i = 1; i < rel.size(); i++) {
            minPeriod = Math.min(minPeriod, rel.get(i) - rel.get(i - 1));
            assertThat(rel.get(i) - rel.get(i - 1)).isGreaterThanOrEqualTo(10 * MS + 502_000);
        }
        // some handler waited for a window: its period is longer than tick + latency
        assertThat(rel.get(rel.size() - 1) - rel.get(0)).isGreaterThan((rel.size() - 1) * (10 * MS + 502_000));
        // fewer ticks than on the grid: late ticks are never made up
        assertThat(rel.size()).isLessThan(abs.size());
        // absolute: a delayed handler does not move the grid
        for (int i = 0; i < abs.size(); i++) {
            long grid = (abs.get(i) - 500_000) / (10 * MS) * (10 * MS) + 500_000;
            assertThat(abs.get(i) - grid).isLessThan(3 * MS + 100_000);
        }
    }

    @Test
    @DisplayName("same seed, same ticks and same trace (relative re-arm with IRQ-off windows)")
    void deterministic() {
        ThreadProgram masked = now -> Step.yield(3 * MS).irqsOff();
        assertThat(ticks(Map.of(), 800 * MS, masked)).isEqualTo(ticks(Map.of(), 800 * MS, masked));
    }
}
