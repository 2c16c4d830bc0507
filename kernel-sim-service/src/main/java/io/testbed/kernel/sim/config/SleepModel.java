package io.testbed.kernel.sim.config;

/** The values of {@code sleep.model}: when a sleeping thread wakes. */
public enum SleepModel implements Choice {
    /** Akuma: the core waits for an interrupt; the next tick's pass wakes the thread if its deadline passed. */
    WFI_UNTIL_TICK("wfi-until-tick"),
    /** The deadline rounded up to a tick; a pass after it wakes the thread. */
    TICK_ROUNDED("tick-rounded"),
    /** A timer event at the exact deadline. */
    HIRES("hires");

    private final String wireName;

    SleepModel(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
