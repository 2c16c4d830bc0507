package io.testbed.kernel.sim.config;

/** The values of {@code sched.round_robin_from}: where round robin starts. */
public enum RoundRobinFrom implements Choice {
    /** After the current thread (the seed's commit). */
    CURRENT("current"),
    /** After the thread round robin picked last, a cursor boosts do not move (Akuma's later round_robin_idx). */
    CURSOR("cursor");

    private final String wireName;

    RoundRobinFrom(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
