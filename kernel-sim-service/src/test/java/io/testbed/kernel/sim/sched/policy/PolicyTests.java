package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.sched.SimThread;
import io.testbed.kernel.sim.sched.ThreadKind;
import io.testbed.kernel.sim.sched.ThreadState;
import io.testbed.kernel.sim.sched.policy.SchedulingPolicy.Reason;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract for every policy, plus each policy's own behaviour, named by state and event. */
class PolicyTests {

    @Nested
    @DisplayName("akuma-ratio")
    class AkumaRatioTest extends SchedulingPolicyContract {
        @Override
        SchedulingPolicy newPolicy() {
            return new AkumaRatio(4, 0);
        }

        @Test
        @DisplayName("the fourth counted pass switches to the boost slot if it is READY")
        void fourthCountedPass_boostSlotReady_switchesToIt() {
            FakeView v = machine();
            v.slots[0].state = ThreadState.READY;
            SimThread cur = v.switchTo(null, v.slots[8]);
            SchedulingPolicy p = newPolicy();
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                cur = v.switchTo(cur, p.pickNext(i, cur, Reason.TICK, v));
                order.append(cur.tid).append(' ');
            }
            // 8->9 (1), 9->10 (2), 10->0 by round robin (3), 0 is not counted, 8 (4) -> boost to 0
            assertThat(order.toString().trim()).isEqualTo("9 10 0 8 0");
            assertThat(v.boosts).containsExactly("ratio");
        }

        @Test
        @DisplayName("the boost pass does not wake expired sleepers")
        void boostPass_expiredSleeper_staysWaiting() {
            FakeView v = machine();
            v.slots[0].state = ThreadState.READY;
            v.slots[10].state = ThreadState.WAITING;
            v.slots[10].wakeAt = 0;
            SimThread cur = v.switchTo(null, v.slots[8]);
            SchedulingPolicy p = new AkumaRatio(1, 0);
            assertThat(p.pickNext(5, cur, Reason.TICK, v).tid).isZero();
            assertThat(v.slots[10].state).isEqualTo(ThreadState.WAITING);
        }

        @Test
        @DisplayName("passes of the boost slot itself are not counted")
        void boostSlotYields_passNotCounted() {
            FakeView v = machine();
            SchedulingPolicy p = new AkumaRatio(2, 0);
            SimThread net = v.slots[0];
            for (int i = 0; i < 10; i++) {
                assertThat(p.pickNext(i, net, Reason.YIELD, v).tid).isEqualTo(8);
            }
            assertThat(v.boosts).isEmpty();
        }
    }

    @Nested
    @DisplayName("always-boost")
    class AlwaysBoostTest extends SchedulingPolicyContract {
        @Override
        SchedulingPolicy newPolicy() {
            return new AlwaysBoost(0);
        }

        @Test
        @DisplayName("every pass from another thread picks the READY boost slot")
        void everyPass_boostSlotReady_picksIt() {
            FakeView v = machine();
            v.slots[0].state = ThreadState.READY;
            SchedulingPolicy p = newPolicy();
            for (int tid : new int[]{8, 9, 10}) {
                SimThread cur = v.slots[tid];
                cur.state = ThreadState.RUNNING;
                assertThat(p.pickNext(tid, cur, Reason.YIELD, v).tid).isZero();
                cur.state = ThreadState.READY;
            }
        }
    }

    @Nested
    @DisplayName("poll-request-immediate")
    class PollRequestImmediateTest extends SchedulingPolicyContract {
        @Override
        SchedulingPolicy newPolicy() {
            return new PollRequestImmediate(4, 0);
        }

        @Test
        @DisplayName("a would-block makes the next pass switch to the boost slot")
        void wouldBlock_nextPass_switchesToBoostSlot() {
            FakeView v = machine();
            v.slots[0].state = ThreadState.READY;
            SimThread cur = v.switchTo(null, v.slots[8]);
            SchedulingPolicy p = newPolicy();
            p.onWouldBlock(1, cur);
            assertThat(p.pickNext(1, cur, Reason.YIELD, v).tid).isZero();
            assertThat(v.boosts).containsExactly("poll-request");
            assertThat(p.pickNext(2, cur, Reason.YIELD, v).tid).isEqualTo(9);
        }
    }

    @Nested
    @DisplayName("poll-request-per-thread")
    class PollRequestPerThreadTest extends SchedulingPolicyContract {
        @Override
        SchedulingPolicy newPolicy() {
            return new PollRequestPerThread(4, 0);
        }

        @Test
        @DisplayName("a second request in the same syscall is ignored; after the syscall returns it counts again")
        void secondRequestSameSyscall_ignored_untilSyscallReturns() {
            FakeView v = machine();
            v.slots[0].state = ThreadState.READY;
            SimThread t = v.switchTo(null, v.slots[8]);
            SchedulingPolicy p = newPolicy();
            p.onWouldBlock(1, t);
            assertThat(p.pickNext(1, t, Reason.YIELD, v).tid).isZero();
            p.onWouldBlock(2, t);
            assertThat(p.pickNext(2, t, Reason.YIELD, v).tid).isEqualTo(9);
            p.onSyscallReturn(3, t);
            p.onWouldBlock(4, t);
            assertThat(p.pickNext(4, t, Reason.YIELD, v).tid).isZero();
        }
    }

    @Nested
    @DisplayName("poll-request-rate-limited")
    class PollRequestRateLimitedTest extends SchedulingPolicyContract {
        @Override
        SchedulingPolicy newPolicy() {
            return new PollRequestRateLimited(4, 0, 1_000);
        }

        @Test
        @DisplayName("a request within the interval waits; after it, it is honoured")
        void requestWithinInterval_waits_thenHonoured() {
            FakeView v = machine();
            v.slots[0].state = ThreadState.READY;
            SimThread t = v.switchTo(null, v.slots[8]);
            SchedulingPolicy p = newPolicy();
            p.onWouldBlock(0, t);
            assertThat(p.pickNext(0, t, Reason.YIELD, v).tid).isZero();
            p.onWouldBlock(500, t);
            assertThat(p.pickNext(500, t, Reason.YIELD, v).tid).isEqualTo(9);
            assertThat(p.pickNext(1_000, t, Reason.YIELD, v).tid).isZero();
        }
    }

    @Nested
    @DisplayName("cooperative-hint")
    class CooperativeHintTest extends SchedulingPolicyContract {
        @Override
        SchedulingPolicy newPolicy() {
            return new CooperativeHint(4, 0, 0);
        }

        @Test
        @DisplayName("the network thread yields with a hint: the hinted thread runs next")
        void networkYieldsWithHint_hintedThreadRunsNext() {
            FakeView v = machine();
            v.hint = 10;
            assertThat(newPolicy().pickNext(1, v.slots[0], Reason.YIELD, v).tid).isEqualTo(10);
            assertThat(v.boosts).containsExactly("hint");
        }

        @Test
        @DisplayName("a hint naming a sleeping thread is ignored")
        void hintToWaitingThread_ignored() {
            FakeView v = machine();
            v.slots[10].state = ThreadState.WAITING;
            v.slots[10].wakeAt = Long.MAX_VALUE;
            v.hint = 10;
            assertThat(newPolicy().pickNext(1, v.slots[0], Reason.YIELD, v).tid).isEqualTo(8);
        }
    }

    @Nested
    @DisplayName("round-robin")
    class RoundRobinTest extends SchedulingPolicyContract {
        @Override
        SchedulingPolicy newPolicy() {
            return new RoundRobin();
        }

        @Test
        @DisplayName("passes go round the slots in order, wrapping")
        void passes_goRoundInOrder() {
            FakeView v = machine();
            SchedulingPolicy p = newPolicy();
            SimThread cur = v.slots[0];
            StringBuilder order = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                cur = v.switchTo(cur, p.pickNext(i, cur, Reason.TICK, v));
                order.append(cur.tid).append(' ');
            }
            assertThat(order.toString().trim()).isEqualTo("8 9 10 0 8 9 10 0");
        }
    }

    @Nested
    @DisplayName("fair-share")
    class FairShareTest extends SchedulingPolicyContract {
        @Override
        SchedulingPolicy newPolicy() {
            return new FairShare(10_000_000);
        }

        @Test
        @DisplayName("the thread with the least CPU time runs next")
        void leastCpu_runsNext() {
            FakeView v = machine();
            SchedulingPolicy p = newPolicy();
            p.pickNext(0, v.slots[0], Reason.TICK, v); // registers everyone at the same start
            v.slots[0].cpuNs = 50;
            v.slots[8].cpuNs = 30;
            v.slots[9].cpuNs = 10;
            v.slots[10].cpuNs = 20;
            assertThat(p.pickNext(1, v.slots[0], Reason.TICK, v).tid).isEqualTo(9);
        }

        @Test
        @DisplayName("a thread waking after a long sleep gets at most half a tick of credit")
        void longSleeperWakes_boundedCredit() {
            FakeView v = machine();
            SchedulingPolicy p = newPolicy();
            SimThread sleeper = v.slots[10];
            p.pickNext(0, v.slots[0], Reason.TICK, v);
            sleeper.state = ThreadState.WAITING;
            sleeper.wakeAt = 100;
            for (SimThread t : new SimThread[]{v.slots[0], v.slots[8], v.slots[9]}) {
                t.cpuNs = 1_000_000_000L;
            }
            SimThread next = p.pickNext(200, v.slots[0], Reason.TICK, v);
            assertThat(next).isSameAs(sleeper);
            sleeper.cpuNs += 5_000_001; // more than the credit: the others are now behind it
            assertThat(p.pickNext(300, sleeper, Reason.TICK, v)).isNotSameAs(sleeper);
        }
    }
}
