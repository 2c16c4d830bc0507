package io.testbed.kernel.sim.config;

/** A value of a choice setting: an enum constant with the name the wire, the overrides and the profiles use. */
public interface Choice {
    /** The value as settings, overrides and profiles write it, e.g. {@code wfi-until-tick}. */
    String wireName();
}
