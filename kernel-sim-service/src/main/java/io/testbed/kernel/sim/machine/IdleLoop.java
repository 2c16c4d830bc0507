package io.testbed.kernel.sim.machine;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.sched.Step;
import io.testbed.kernel.sim.sched.ThreadProgram;

/**
 * Thread 0's idle loop (Akuma src/main.rs:562-609): cleanup every 10th iteration, then yield. It is
 * cooperative ({@code sched.cooperative_timeout_ms}), so ticks while it holds the core are lost.
 */
final class IdleLoop implements ThreadProgram {
    private final MachineSettings settings;
    private long iteration;

    IdleLoop(MachineSettings settings) {
        this.settings = settings;
    }

    @Override
    public Step next(long now) {
        return Step.yield(settings.getLong(Settings.COST_IDLE_LOOP_NS) + (++iteration % 10 == 0 && settings.is(Settings.THREADS_IDLE_CLEANUP) ? settings.getLong(Settings.COST_IDLE_CLEANUP_NS) : 0));
    }

    @Override
    public long ffPhase() {
        return settings.is(Settings.THREADS_IDLE_CLEANUP) ? iteration % 10 : 0;
    }

    @Override
    public long ffQuietUntil(long now) {
        return Long.MAX_VALUE;
    }

    @Override
    public long ffCounter() {
        return iteration;
    }

    @Override
    public void ffAdvance(long delta) {
        iteration += delta;
    }
}
