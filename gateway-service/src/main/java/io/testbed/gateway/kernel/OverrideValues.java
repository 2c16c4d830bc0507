package io.testbed.gateway.kernel;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The gateway's own check of kernel setting values, before any label, seed or CSV row is derived from
 * them (the raw string is what they keep): a value is printable ASCII with no spaces, and one that reads
 * as an integer is written the one canonical way (ASCII digits, an optional leading '-', no '+', no
 * leading zeros). So {@code "+10000"}, {@code " 10000 "}, {@code "010000"} and digits of other scripts
 * are refused, and two spellings of one value can never make two cells or two seeds.
 */
public final class OverrideValues {
    private static final Pattern PRINTABLE = Pattern.compile("[!-~]{1,256}");
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern CANONICAL_INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,18}");

    private OverrideValues() {
    }

    /** What is wrong with the value of setting {@code name}, or null when it is fine. */
    public static String problem(String name, String value) {
        if (value == null || !PRINTABLE.matcher(value).matches()) {
            return "setting '" + name + "' must be printable ASCII with no spaces (an integer in ASCII digits, or a name), not '"
                    + printable(value) + "'";
        }
        if (NUMERIC_LOOKING.matcher(value).matches() && !CANONICAL_INTEGER.matcher(value).matches()) {
            return "setting '" + name + "' must be an integer in ASCII digits with no '+' or leading zeros, not '" + value + "'";
        }
        return null;
    }

    /** The first bad value of {@code overrides} as {name, message}, or null. */
    public static String[] firstProblem(Map<String, String> overrides) {
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(overrides).entrySet()) {
            String p = problem(e.getKey(), e.getValue());
            if (p != null) {
                return new String[] {e.getKey(), p};
            }
        }
        return null;
    }

    private static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        for (char c : cut.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
