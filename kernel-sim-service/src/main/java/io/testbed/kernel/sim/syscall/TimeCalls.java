package io.testbed.kernel.sim.syscall;

import io.testbed.kernel.sim.config.Settings;
import io.testbed.kernel.api.Errno;
import io.testbed.kernel.api.v1.ClockGettime;

/** clock_gettime: the machine's simulated clock (monotonic from boot; realtime from a fixed epoch). */
final class TimeCalls {
    private TimeCalls() {
    }

    static SyscallTask clockGettime(ClockGettime req, UserThreadProgram t, SyscallHost host) {
        return now -> {
            long cost = host.settings().getLong(Settings.COST_SYSCALL_NS);
            switch (req.getClockId()) {
                case Errno.CLOCK_REALTIME:
                    return t.ok(host.realtimeEpochNs() + now, cost);
                case Errno.CLOCK_MONOTONIC:
                    return t.ok(now, cost);
                default:
                    return t.fail(Errno.EINVAL, cost);
            }
        };
    }
}
