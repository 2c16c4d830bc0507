package io.testbed.kernel.sim.sched;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.sim.runtime.UpstreamGate;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.machine.KernelListener;
import io.testbed.kernel.sim.machine.MachineModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A machine driven directly from the test thread with synthetic threads: CPU-bound threads and
 * would-block loopers. Deterministic and fast; no engine thread, no client.
 */
final class Workload {
    final MachineModel model;
    final List<Integer> slotOwners = new ArrayList<>();
    final List<Long> slotTimes = new ArrayList<>();

    Workload(String profile, Map<String, String> overrides) {
        // the claims are about the user threads in slots 8 and up: herd (which would take slot 8) is off unless asked for
        Map<String, String> o = new LinkedHashMap<>(Map.of("threads.herd", "off"));
        o.putAll(overrides);
        MachineSettings settings = Profiles.resolve(profile, o);
        model = new MachineModel(settings, true, 1, UpstreamGate.peers(settings, () -> 0L, true, (h, p, l) -> null),
                KernelListener.NONE);
        model.observePasses((now, t) -> {
            slotOwners.add(t.tid);
            slotTimes.add(now);
        });
    }

    /** A thread that always has userspace work: it runs until the timer preempts it. */
    SimThread cpuBound(String name) {
        return model.spawn(name, ThreadKind.USER, MachineModel.FIRST_USER_SLOT, now -> Step.user(1_000_000_000L));
    }

    /**
     * A thread in Akuma's recvfrom loop on a socket that never has data: each iteration checks
     * ({@code cost.socket_check_ns}), tells the policy it would block and yields; after
     * {@code syscall.eagain_iterations} the call returns EAGAIN and the thread calls again at once.
     */
    SimThread wouldBlockLooper(String name) {
        SimThread[] self = new SimThread[1];
        int[] iteration = new int[1];
        self[0] = model.spawn(name, ThreadKind.USER, MachineModel.FIRST_USER_SLOT, now -> {
            long cost = model.settings().getLong(Settings.COST_SOCKET_CHECK_NS);
            model.cpu().policy().onWouldBlock(now, self[0]);
            if (++iteration[0] >= model.settings().getInt(Settings.SYSCALL_EAGAIN_ITERATIONS)) {
                iteration[0] = 0;
                model.cpu().policy().onSyscallReturn(now, self[0]);
                return Step.cont(cost + model.settings().getLong(Settings.COST_SYSCALL_NS));
            }
            return Step.yield(cost);
        });
        return self[0];
    }

    void runUntil(long ns) {
        while (model.events().peekTime() <= ns) {
            model.events().fireNext();
        }
    }

    /** Share of the core each thread received, by tid. */
    Map<Integer, Double> cpuShares() {
        long total = 0;
        for (SimThread t : model.cpu().slots()) {
            if (t != null) {
                total += t.cpuNs;
            }
        }
        Map<Integer, Double> m = new LinkedHashMap<>();
        for (SimThread t : model.cpu().slots()) {
            if (t != null) {
                m.put(t.tid, t.cpuNs / (double) total);
            }
        }
        return m;
    }

    /** Share of scheduling slots (times given the core) each thread received, by tid. */
    Map<Integer, Double> slotShares() {
        Map<Integer, Double> m = new LinkedHashMap<>();
        for (int tid : slotOwners) {
            m.merge(tid, 1.0 / slotOwners.size(), Double::sum);
        }
        return m;
    }

    /** The slot owners, collapsing consecutive passes that kept the same thread. */
    List<Integer> sequence(int max) {
        List<Integer> seq = new ArrayList<>();
        for (int tid : slotOwners) {
            if (seq.isEmpty() || seq.get(seq.size() - 1) != tid) {
                seq.add(tid);
            }
            if (seq.size() == max) {
                break;
            }
        }
        return seq;
    }
}
