package io.testbed.kernel.sim.machine;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.sched.Step;
import io.testbed.kernel.sim.sched.ThreadProgram;

/** herd (Akuma userspace/herd/src/main.rs:247-267): one loop, then a {@code herd.sleep_ms} sleep. */
final class Herd implements ThreadProgram {
    private final MachineSettings settings;

    Herd(MachineSettings settings) {
        this.settings = settings;
    }

    @Override
    public Step next(long now) {
        long cost = settings.getLong(Settings.COST_HERD_LOOP_NS) + settings.getLong(Settings.COST_SYSCALL_NS);
        return Step.sleep(cost, now + cost + settings.getLong(Settings.HERD_SLEEP_NS));
    }

    @Override
    public long ffPhase() {
        return 0; // its sleep's wake time is absolute: a loop that ran cannot recur
    }

    @Override
    public long ffQuietUntil(long now) {
        return Long.MAX_VALUE;
    }
}
