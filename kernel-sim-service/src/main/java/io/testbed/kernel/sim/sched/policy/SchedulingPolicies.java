package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.SchedPolicy;
import io.testbed.kernel.sim.config.Settings;

import java.util.List;

/** The registry of scheduling policies, by the name the {@code sched.policy} setting uses. */
public final class SchedulingPolicies {
    public static final List<String> NAMES = SchedPolicy.wireNames();

    private SchedulingPolicies() {
    }

    public static SchedulingPolicy create(MachineSettings s) {
        SchedulingPolicy policy = byName(s);
        if (policy instanceof AkumaRatio ratio) {
            ratio.roundRobinFrom(s.get(Settings.ROUND_ROBIN_FROM));
        }
        return policy;
    }

    /** One policy per value of {@code sched.policy}; the switch covers every value (no default). */
    private static SchedulingPolicy byName(MachineSettings s) {
        return switch (s.get(Settings.SCHED_POLICY)) {
            case AKUMA_RATIO -> new AkumaRatio(s.getInt(Settings.SCHED_NETWORK_THREAD_RATIO), s.getInt(Settings.SCHED_BOOST_SLOT));
            case ALWAYS_BOOST -> new AlwaysBoost(s.getInt(Settings.SCHED_BOOST_SLOT));
            case POLL_REQUEST_IMMEDIATE -> new PollRequestImmediate(s.getInt(Settings.SCHED_NETWORK_THREAD_RATIO), s.getInt(Settings.SCHED_BOOST_SLOT));
            case POLL_REQUEST_PER_THREAD -> new PollRequestPerThread(s.getInt(Settings.SCHED_NETWORK_THREAD_RATIO), s.getInt(Settings.SCHED_BOOST_SLOT));
            case POLL_REQUEST_RATE_LIMITED -> new PollRequestRateLimited(s.getInt(Settings.SCHED_NETWORK_THREAD_RATIO), s.getInt(Settings.SCHED_BOOST_SLOT), s.getLong(Settings.SCHED_POLL_REQUEST_INTERVAL_NS));
            case COOPERATIVE_HINT -> new CooperativeHint(s.getInt(Settings.SCHED_NETWORK_THREAD_RATIO), s.getInt(Settings.SCHED_BOOST_SLOT), s.getInt(Settings.NET_POLLER_SLOT));
            case ROUND_ROBIN -> new RoundRobin();
            case FAIR_SHARE -> new FairShare(s.getLong(Settings.TIMER_TICK_NS));
        };
    }
}
