package io.testbed.kernel.sim.sched.policy;

import io.testbed.kernel.sim.config.MachineSettings;
import io.testbed.kernel.sim.config.SchedPolicy;

import java.util.List;

/** The registry of scheduling policies, by the name the {@code sched.policy} setting uses. */
public final class SchedulingPolicies {
    public static final List<String> NAMES = SchedPolicy.wireNames();

    private SchedulingPolicies() {
    }

    public static SchedulingPolicy create(MachineSettings s) {
        SchedulingPolicy policy = byName(s);
        if (policy instanceof AkumaRatio ratio) {
            ratio.roundRobinFrom(s.roundRobinFrom);
        }
        return policy;
    }

    private static SchedulingPolicy byName(MachineSettings s) {
        switch (s.schedPolicy) {
            case "akuma-ratio":
                return new AkumaRatio(s.networkThreadRatio, s.boostSlot);
            case "always-boost":
                return new AlwaysBoost(s.boostSlot);
            case "poll-request-immediate":
                return new PollRequestImmediate(s.networkThreadRatio, s.boostSlot);
            case "poll-request-per-thread":
                return new PollRequestPerThread(s.networkThreadRatio, s.boostSlot);
            case "poll-request-rate-limited":
                return new PollRequestRateLimited(s.networkThreadRatio, s.boostSlot, s.pollRequestIntervalNs);
            case "cooperative-hint":
                return new CooperativeHint(s.networkThreadRatio, s.boostSlot, s.pollerSlot);
            case "round-robin":
                return new RoundRobin();
            case "fair-share":
                return new FairShare(s.tickNs);
            default:
                throw new IllegalArgumentException("unknown scheduling policy '" + s.schedPolicy + "'; known: " + NAMES);
        }
    }
}
