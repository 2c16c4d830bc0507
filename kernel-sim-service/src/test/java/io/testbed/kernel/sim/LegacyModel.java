package io.testbed.kernel.sim;

import java.util.Map;

/**
 * The model as it was before the calibration (issue 13), as settings: an exact 10 ms tick grid with no
 * interrupt cost, every tick running its pass, no herd, no SSH accept loop, no idle cleanup, no sendto
 * flush window, and the old estimated cost table. Tests about something else than the scheduler's
 * fidelity (the network against analysis) use it so their figures do not move with the CPU model.
 */
public final class LegacyModel {
    public static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("timer.rearm", "absolute"),
            Map.entry("timer.irq_latency_us", "0"),
            Map.entry("cost.irq_entry_ns", "0"),
            Map.entry("sched.preempt_windows", "off"),
            Map.entry("threads.herd", "off"),
            Map.entry("threads.ssh_accept", "off"),
            Map.entry("threads.idle_cleanup", "off"),
            Map.entry("syscall.sendto_flush_polls", "0"),
            Map.entry("cost.yield_spin_ns", "0"),
            Map.entry("cost.sched_pass_ns", "2000"),
            Map.entry("cost.context_switch_ns", "5000"),
            Map.entry("cost.syscall_ns", "2000"),
            Map.entry("cost.socket_check_ns", "500"),
            Map.entry("cost.copy_per_kib_ns", "1000"),
            Map.entry("cost.poll_base_ns", "10000"),
            Map.entry("cost.poll_frame_ns", "5000"),
            Map.entry("cost.idle_loop_ns", "1000"),
            Map.entry("cost.echo_ns", "50000"));

    private LegacyModel() {
    }
}
