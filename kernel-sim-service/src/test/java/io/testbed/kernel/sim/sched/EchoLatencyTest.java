package io.testbed.kernel.sim.sched;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Interactive echo latency under the same CPU-bound load, with the network thread starved or boosted. */
class EchoLatencyTest {

    private static Map<String, Long> run(Map<String, String> overrides) {
        Map<String, String> o = new HashMap<>(overrides);
        o.put("sessions.count", "1");
        Workload w = new Workload("akuma-2026-01-31", o);
        for (int i = 0; i < 4; i++) {
            w.cpuBound("cpu" + i);
        }
        w.runUntil(20_000_000_000L);
        Map<String, Long> c = w.model.stats("t").getCountersMap();
        System.out.printf("%s: echoes %d, p50 %.1f ms, p99 %.1f ms%n", overrides, c.get("echoes"),
                c.get("echo_latency_p50_ns") / 1e6, c.get("echo_latency_p99_ns") / 1e6);
        return c;
    }

    @Test
    @DisplayName("echo latency rises when the network thread is starved and falls when it is boosted")
    void echoLatency_starvedVersusBoosted() {
        Map<String, Long> starved = run(Map.of("sched.policy", "round-robin"));
        Map<String, Long> boosted = run(Map.of("sched.policy", "akuma-ratio", "sched.boost_slot", "1",
                "sched.network_thread_ratio", "1"));
        Map<String, Long> commit = run(Map.of());
        // after each echo a session yields 20 times with preemption off (Akuma src/shell/mod.rs:541-547); behind four
        // CPU-bound threads each yield waits a round of them, so a starved session handles about one keystroke a second
        assertThat(starved.get("echoes")).isGreaterThan(10);
        assertThat(boosted.get("echoes")).isGreaterThan(50);
        assertThat(boosted.get("echo_latency_p50_ns")).isLessThan(starved.get("echo_latency_p50_ns"));
        assertThat(boosted.get("echo_latency_p99_ns")).isLessThan(starved.get("echo_latency_p99_ns"));
        assertThat(commit.get("echoes")).isPositive();
    }

    @Test
    @DisplayName("with an interrupt-driven stack, session threads sleep until a keystroke and every echo leaves")
    void irqWakeup_sessionsSleepUntilKeystrokes_everyEchoLeaves() {
        Map<String, Long> irq = run(Map.of("net.poll_mode", "irq-wakeup"));
        assertThat(irq.get("echoes")).isGreaterThan(50).isGreaterThanOrEqualTo(irq.get("keystrokes") - 2);
        // the session thread still waits its round-robin turn behind four CPU-bound threads
        assertThat(irq.get("echo_latency_p99_ns")).isLessThan(100_000_000L);
    }
}
