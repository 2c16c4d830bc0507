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
            if (!v.equals(value)) {
                throw new IllegalArgumentException("setting '" + name + "' must be one of " + choices + " with no spaces, not '" + printable(value) + "'");
            }
            if (!choices.contains(v)) {
                throw new IllegalArgumentException("setting '" + name + "' must be one of " + choices + ", not '" + v + "'");
            }
            return v;
        }
        if (!v.equals(value) || !v.matches("0|-?[1-9][0-9]{0,18}")) {
            // strict: ASCII digits only, a leading '-' (the range check then refuses it where negatives
            // are not valid); no '+', no padding (spaces
            // or leading zeros), no other scripts' digits (Long.parseLong takes "+10000" and fullwidth digits)
            throw new IllegalArgumentException("setting '" + name + "' must be an integer of ASCII digits"
                    + " with no '+', spaces or leading zeros, not '" + printable(value) + "'");
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

    /** The value with control and non-ASCII characters escaped, for an error message. */
    private static String printable(String value) {
        StringBuilder b = new StringBuilder();
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        for (char c : cut.toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
