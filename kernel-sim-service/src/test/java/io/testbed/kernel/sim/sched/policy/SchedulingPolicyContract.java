package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;
import io.testbed.kernel.sim.sched.ThreadKind;
import io.testbed.kernel.sim.sched.ThreadState;
import io.testbed.kernel.sim.sched.policy.SchedulingPolicy.Reason;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every scheduling policy must do, whatever else it does. One subclass per policy. */
abstract class SchedulingPolicyContract {

    abstract SchedulingPolicy newPolicy();

    /** The network thread in slot 0 (the boost slot), three user threads. */
    static FakeView machine() {
        FakeView v = new FakeView();
        v.put(0, ThreadKind.NETWORK, ThreadState.RUNNING);
        v.put(8, ThreadKind.USER, ThreadState.READY);
        v.put(9, ThreadKind.USER, ThreadState.READY);
        v.put(10, ThreadKind.USER, ThreadState.READY);
        return v;
    }

    @Test
    @DisplayName("nothing runnable: the pass returns null and the core halts")
    void nothingRunnable_returnsNull() {
        FakeView v = new FakeView();
        SimThread only = v.put(8, ThreadKind.USER, ThreadState.WAITING);
        only.wakeAt = 1_000_000;
        assertThat(newPolicy().pickNext(10, only, Reason.SLEEP, v)).isNull();
    }

    @Test
    @DisplayName("a lone runnable current thread keeps the core")
    void onlyCurrentRunnable_keepsCurrent() {
        FakeView v = new FakeView();
        SimThread only = v.put(8, ThreadKind.USER, ThreadState.RUNNING);
        SchedulingPolicy p = newPolicy();
        for (int i = 0; i < 10; i++) {
            assertThat(p.pickNext(i, only, Reason.TICK, v)).isSameAs(only);
        }
    }

    @Test
    @DisplayName("a pass never picks a WAITING, OFF_CPU or TERMINATED thread")
    void manyPasses_neverPickAThreadThatCannotRun() {
        FakeView v = machine();
        v.slots[9].state = ThreadState.WAITING;
        v.slots[9].wakeAt = Long.MAX_VALUE;
        v.slots[10].state = ThreadState.TERMINATED;
        v.put(11, ThreadKind.USER, ThreadState.OFF_CPU);
        SchedulingPolicy p = newPolicy();
        SimThread cur = v.slots[0];
        for (int i = 0; i < 200; i++) {
            if (i % 3 == 0) {
                p.onWouldBlock(i, v.slots[8]);
            }
            SimThread next = p.pickNext(i, cur, i % 2 == 0 ? Reason.TICK : Reason.YIELD, v);
            assertThat(next).isNotNull();
            assertThat(next.tid).isIn(0, 8);
            cur = v.switchTo(cur, next);
        }
    }

    @Test
    @DisplayName("an expired sleeper is woken within a bounded number of passes (running it is the policy's business)")
    void expiredSleeper_isWoken() {
        FakeView v = machine();
        SimThread sleeper = v.slots[9];
        sleeper.state = ThreadState.WAITING;
        sleeper.wakeAt = 5;
        SchedulingPolicy p = newPolicy();
        SimThread cur = v.slots[0];
        for (int i = 0; i < 64 && sleeper.state == ThreadState.WAITING; i++) {
            SimThread next = p.pickNext(10 + i, cur, Reason.TICK, v);
            cur = v.switchTo(cur, next);
            cur.cpuNs += 10_000_000;
        }
        assertThat(sleeper.state).isNotEqualTo(ThreadState.WAITING);
    }

    @Test
    @DisplayName("the same sequence of passes gives the same choices")
    void samePasses_sameChoices() {
        assertThat(choices()).isEqualTo(choices());
    }

    private List<Integer> choices() {
        FakeView v = machine();
        SchedulingPolicy p = newPolicy();
        SimThread cur = v.slots[0];
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (i % 5 == 0) {
                p.onWouldBlock(i * 1000L, v.slots[8]);
                v.hint = 10;
            }
            SimThread next = p.pickNext(i * 1000L, cur, i % 3 == 0 ? Reason.TICK : Reason.YIELD, v);
            out.add(next.tid);
            cur = v.switchTo(cur, next);
            cur.cpuNs += 1000 + i;
        }
        return out;
    }
}
