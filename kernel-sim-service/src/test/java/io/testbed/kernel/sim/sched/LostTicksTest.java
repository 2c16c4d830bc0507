package io.testbed.kernel.sim.sched;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.runtime.UpstreamGate;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.machine.MachineModel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ticks in preemption-off windows are lost (Akuma src/threading.rs:1380-1398): the pass returns at once,
 * and re-enabling preemption does not reschedule, so a thread that never yields keeps the core.
 */
class LostTicksTest {
    private static final long MS = 1_000_000L;

    private record Run(long hogCpu, long otherCpu, long lost, long hash) {
    }

    /**
     * A kernel thread that loops in 2 ms steps with preemption off and never yields, and a CPU-bound user
     * thread beside it, for one simulated second.
     */
    private static Run run(String windows, boolean preemptOff) {
        Map<String, String> o = new LinkedHashMap<>(Map.of("threads.herd", "off", "sched.preempt_windows", windows));
        MachineSettings settings = Profiles.resolve("akuma-7b52ac2", o);
        MachineModel m = new MachineModel(settings, true, 3, UpstreamGate.peers(settings, () -> 0L, true, (h, p, l) -> null),
                KernelListener.NONE);
        SimThread hog = m.spawn("hog", ThreadKind.USER, MachineModel.FIRST_USER_SLOT,
                now -> preemptOff ? Step.cont(2 * MS).preemptionOff() : Step.cont(2 * MS));
        SimThread other = m.spawn("other", ThreadKind.USER, MachineModel.FIRST_USER_SLOT, now -> Step.user(1_000 * MS));
        while (m.events().peekTime() <= 1_000 * MS) {
            m.events().fireNext();
        }
        return new Run(hog.cpuNs, other.cpuNs, m.cpu().lostTicks(), m.trace().hash());
    }

    @Test
    @DisplayName("a thread that holds preemption off and never yields keeps the core: every tick in its window is lost")
    void preemptionOff_ticksAreLost_andTheThreadKeepsTheCore() {
        Run r = run("on", true);
        assertThat(r.lost()).isGreaterThan(70); // one tick per 12.5 ms period
        assertThat(r.otherCpu()).isZero();
        // the same thread with preemption on is switched out at the end of a step after a tick
        Run preemptible = run("on", false);
        assertThat(preemptible.lost()).isZero();
        assertThat(preemptible.otherCpu()).isGreaterThan(300 * MS);
    }

    @Test
    @DisplayName("sched.preempt_windows=off: every tick runs its pass, the old behaviour")
    void windowsOff_noTickIsLost() {
        Run r = run("off", true);
        assertThat(r.lost()).isZero();
        assertThat(r.otherCpu()).isGreaterThan(300 * MS);
    }

    @Test
    @DisplayName("cooperative thread 0 keeps the core for its 100 ms timeout despite the ticks")
    void cooperativeThread0_ticksLostWithinItsTimeout() {
        for (String timeout : new String[]{"100", "0"}) {
            Map<String, String> o = Map.of("threads.herd", "off", "sched.cooperative_timeout_ms", timeout);
            MachineSettings settings = Profiles.resolve("akuma-7b52ac2", o);
            MachineModel m = new MachineModel(settings, true, 3, UpstreamGate.peers(settings, () -> 0L, true, (h, p, l) -> null),
                    KernelListener.NONE);
            // replace nothing: thread 0 is the idle loop that yields at once; make it busy with a kernel loop
            m.cpu().slots()[0].program = now -> Step.cont(1 * MS);
            while (m.events().peekTime() <= 500 * MS) {
                m.events().fireNext();
            }
            if (timeout.equals("100")) {
                assertThat(m.cpu().lostTicks()).as("timeout 100 ms").isGreaterThan(30);
            } else {
                assertThat(m.cpu().lostTicks()).as("not cooperative").isZero();
            }
        }
    }

    @Test
    @DisplayName("same seed, same lost ticks and same trace")
    void deterministic() {
        assertThat(run("on", true)).isEqualTo(run("on", true));
    }
}
