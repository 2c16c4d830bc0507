package io.testbed.kernel.sim.config;

import java.util.Arrays;
import java.util.List;

/**
 * The values of the {@code sched.policy} setting, by the name the setting uses. The policies themselves
 * are built by {@code sched.policy.SchedulingPolicies}, which covers every value.
 */
public enum SchedPolicy implements Choice {
    AKUMA_RATIO("akuma-ratio"),
    ALWAYS_BOOST("always-boost"),
    POLL_REQUEST_IMMEDIATE("poll-request-immediate"),
    POLL_REQUEST_PER_THREAD("poll-request-per-thread"),
    POLL_REQUEST_RATE_LIMITED("poll-request-rate-limited"),
    COOPERATIVE_HINT("cooperative-hint"),
    ROUND_ROBIN("round-robin"),
    FAIR_SHARE("fair-share");

    private final String wireName;

    SchedPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The name in settings, overrides and profiles. */
    @Override
    public String wireName() {
        return wireName;
    }

    /** Every name, in declaration order. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(SchedPolicy::wireName).toList();
    }
}
