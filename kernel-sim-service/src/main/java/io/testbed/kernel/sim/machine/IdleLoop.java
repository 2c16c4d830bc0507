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
    /** Its two steps, made once (a step is immutable): a plain iteration, and every 10th with the cleanup. */
    private final Step plain;
    private final Step cleanup;
    private long iteration;

    IdleLoop(MachineSettings settings) {
        this.settings = settings;
        this.plain = Step.yield(settings.getLong(Settings.COST_IDLE_LOOP_NS));
        this.cleanup = settings.is(Settings.THREADS_IDLE_CLEANUP)
                ? Step.yield(settings.getLong(Settings.COST_IDLE_LOOP_NS) + settings.getLong(Settings.COST_IDLE_CLEANUP_NS)) : plain;
    }

    @Override
    public Step next(long now) {
        return ++iteration % 10 == 0 ? cleanup : plain;
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
