package io.testbed.kernel.sim.config;

import java.util.List;

/**
 * One machine setting: its name, default (the Akuma value at the seed's commit), bounds and meaning.
 *
 * @param name        dot-separated, e.g. {@code sched.network_thread_ratio}
 * @param defaultValue the value in the default profile
 * @param min         lower bound for numbers (inclusive)
 * @param max         upper bound for numbers (inclusive)
 * @param choices     allowed values for a choice setting, empty for numbers
 * @param meaning     what it models and which Akuma behaviour it comes from
 */
public record SettingDef(String name, String defaultValue, long min, long max, List<String> choices, String meaning) {

    static SettingDef number(String name, long def, long min, long max, String meaning) {
        return new SettingDef(name, Long.toString(def), min, max, List.of(), meaning);
    }

    static SettingDef choice(String name, String def, List<String> choices, String meaning) {
        return new SettingDef(name, def, 0, 0, List.copyOf(choices), meaning);
    }

    public boolean isChoice() {
        return !choices.isEmpty();
    }

    /** Checks a value, returning it normalised, or throws with a message a person can act on. */
    public String validate(String value) {
        if (value == null) {
            throw new IllegalArgumentException("setting '" + name + "' has no value");
        }
        String v = value.trim();
        if (isChoice()) {
            if (!choices.contains(v)) {
                throw new IllegalArgumentException("setting '" + name + "' must be one of " + choices + ", not '" + v + "'");
            }
            return v;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + name + "' must be an integer, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("setting '" + name + "' must be between " + min + " and " + max + ", not " + n);
        }
        return Long.toString(n);
    }
}
