package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.Exit;
import io.testbed.kernel.api.v1.Nanosleep;
import io.testbed.kernel.sim.sched.Step;

/**
 * sched_yield, nanosleep, exit. A sleeping thread is WAITING until a scheduler pass finds its deadline
 * passed; how soon that is depends on {@code sleep.model} (Akuma: only ticks and yields run passes, and
 * an idle core waits for the next tick).
 */
final class SchedCalls {
    /** The longest sleep accepted (one hour); longer gets EINVAL rather than a stuck thread. */
    static final long MAX_SLEEP_NS = 3_600_000_000_000L;

    private SchedCalls() {
    }

    static SyscallTask schedYield(UserThreadProgram t, SyscallHost host) {
        return new SyscallTask() {
            boolean yielded;

            @Override
            public Step step(long now) {
                if (!yielded) {
                    yielded = true;
                    return Step.yield(host.settings().getLong(Settings.COST_SYSCALL_NS));
                }
                return t.ok(0, 0);
            }
        };
    }

    static SyscallTask nanosleep(Nanosleep req, UserThreadProgram t, SyscallHost host) {
        return new SyscallTask() {
            boolean slept;

            @Override
            public Step step(long now) {
                long cost = host.settings().getLong(Settings.COST_SYSCALL_NS);
                if (!slept) {
                    if (req.getNs() < 0 || req.getNs() > MAX_SLEEP_NS) {
                        return t.fail(Errno.EINVAL, cost);
                    }
                    slept = true;
                    return Step.sleep(cost, now + cost + req.getNs());
                }
                return t.ok(0, 0);
            }
        };
    }

    static SyscallTask exit(Exit req, UserThreadProgram t, SyscallHost host) {
        return now -> {
            t.abortSockets();
            return t.exit(req.getCode(), host.settings().getLong(Settings.COST_SYSCALL_NS));
        };
    }
}
