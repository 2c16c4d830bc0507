package io.testbed.gateway.reproduction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The sensitivity analysis (issue 15): every verdict re-judged with one uncertain input moved to an end
 * of its documented range, all else as in the main run. A verdict is robust when every variant gives the
 * same verdict, fragile otherwise, naming the inputs that flip it.
 * <p>
 * The inputs and their ranges (docs/MODEL.md "Calibration"; kernel-sim README's settings table):
 * <ul>
 *   <li>the kernel's QEMU TCG cost table ({@code cost.*} but the file system's), fitted on C3: halved, doubled;</li>
 *   <li>{@code timer.irq_latency_us}, fitted on C1: halved, doubled;</li>
 *   <li>{@code cost.sector_ns}, estimated (5-100 µs): halved, doubled;</li>
 *   <li>the link's one-way latency ({@code link.latency_us}, 1 ms): a quarter, four times;</li>
 *   <li>the link's jitter ({@link ReproductionCells#JITTER_US}, an estimate): none, 1000 µs;</li>
 *   <li>interactive sessions (1-4, where a configuration has any): 1, 4;</li>
 *   <li>the userspace CPU model: off (tls-client's {@code zero}).</li>
 * </ul>
 * The reduced set (the default) moves the inputs the calibration found the figures most sensitive to: the
 * kernel cost table (halved, doubled; calibration.md: half the TCG factor turns a 3.9 s download into 20 s)
 * and the userspace CPU model (off), so that {@code make reproduce} stays within its time. The full set
 * ({@code --full-sensitivity}) moves every input above and also every estimated cost of the table on its own
 * ({@code cost.bitmap_bit_ns}, {@code cost.uart_byte_ns}, {@code cost.page_zero_ns} and each {@code cost.*}
 * of the kernel table).
 */
final class Sensitivity {

    static final String GROUP_PREFIX = "sens:";
    static final String REDUCED = "reduced";
    static final String FULL = "full";
    static final String NONE = "none";

    /** Costs of the file system and the console: estimated apart from the kernel table's TCG factor. */
    private static final List<String> FS_COSTS = List.of("cost.sector_ns", "cost.bitmap_bit_ns", "cost.uart_byte_ns", "cost.page_zero_ns");

    /**
     * One variant: the input it moves, how, and the overrides per profile (costs are scaled from each
     * profile's own values).
     *
     * @param name       short unique name (in the cell group)
     * @param input      the input moved, as the report names it
     * @param value      where it was moved to
     * @param perProfile overrides by profile name
     * @param cpu        tls-client's CPU mode for the variant, null to keep the main run's
     * @param sessions   sessions for the configurations that have any, null to keep theirs
     */
    record Variant(String name, String input, String value, Map<String, Map<String, String>> perProfile, String cpu,
                   Integer sessions) {

        Map<String, String> overrides(String profile) {
            return perProfile.getOrDefault(profile, Map.of());
        }

        /** Whether the variant changes anything for this configuration. */
        boolean appliesTo(ReproductionCells.Spec s) {
            if (sessions != null) {
                return s.sessions() > 0 && s.sessions() != sessions;
            }
            if (input.equals(LINK_LATENCY) && s.overrides().containsKey("link.latency_us")) {
                return false; // claim 7's stall is its own latency
            }
            return cpu != null || !overrides(s.profile()).isEmpty();
        }
    }

    static final String LINK_LATENCY = "link latency";

    private Sensitivity() {
    }

    /**
     * The variants of a set.
     *
     * @param set        {@link #REDUCED}, {@link #FULL} or {@link #NONE}
     * @param profiles   the profiles the cells use
     * @param settingsOf a profile's effective settings (read from kernel-sim)
     * @param cpu        the main run's CPU mode (null: tls-client's default for the client)
     */
    static List<Variant> variants(String set, List<String> profiles, Function<String, Map<String, String>> settingsOf, String cpu) {
        List<Variant> v = new ArrayList<>();
        if (NONE.equals(set)) {
            return v;
        }
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        profiles.forEach(p -> settings.put(p, settingsOf.apply(p)));
        for (double f : new double[]{0.5, 2}) {
            v.add(scaled("costs", "kernel cost table (TCG factor, fitted on C3)", f, settings,
                    k -> k.startsWith("cost.") && k.endsWith("_ns") && !FS_COSTS.contains(k)));
        }
        v.add(new Variant("cpu-off", "userspace CPU model", "off (zero)", Map.of(), "zero", null));
        if (!FULL.equals(set)) {
            return v;
        }
        for (double f : new double[]{0.5, 2}) {
            v.add(scaled("irq", "timer.irq_latency_us (fitted on C1)", f, settings, k -> k.equals("timer.irq_latency_us")));
        }
        for (double f : new double[]{0.5, 2}) {
            v.add(scaled("sector", "cost.sector_ns (estimate, 5-100 us)", f, settings, k -> k.equals("cost.sector_ns")));
        }
        v.add(same("lat-250", LINK_LATENCY, "250 us", profiles, Map.of("link.latency_us", "250")));
        v.add(same("lat-4000", LINK_LATENCY, "4 ms", profiles, Map.of("link.latency_us", "4000")));
        v.add(same("jitter-0", "link jitter (estimate)", "0 us", profiles, Map.of("link.jitter_us", "0")));
        v.add(same("jitter-1000", "link jitter (estimate)", "1000 us", profiles, Map.of("link.jitter_us", "1000")));
        v.add(new Variant("sessions-1", "interactive sessions (1-4)", "1", Map.of(), null, 1));
        v.add(new Variant("sessions-4", "interactive sessions (1-4)", "4", Map.of(), null, 4));
        List<String> each = new ArrayList<>();
        settings.values().forEach(m -> m.keySet().stream().filter(k -> k.startsWith("cost.") && k.endsWith("_ns")
                && !k.equals("cost.sector_ns") && !each.contains(k)).forEach(each::add));
        for (String k : each) {
            for (double f : new double[]{0.5, 2}) {
                v.add(scaled(k, k, f, settings, x -> x.equals(k)));
            }
        }
        return v;
    }

    private static Variant scaled(String name, String input, double f, Map<String, Map<String, String>> settings,
                                  java.util.function.Predicate<String> which) {
        Map<String, Map<String, String>> per = new LinkedHashMap<>();
        settings.forEach((profile, values) -> {
            Map<String, String> o = new LinkedHashMap<>();
            values.forEach((k, val) -> {
                if (which.test(k)) {
                    try {
                        o.put(k, Long.toString(Math.round(Long.parseLong(val) * f)));
                    } catch (NumberFormatException e) {
                        // not a number: not a cost
                    }
                }
            });
            per.put(profile, o);
        });
        return new Variant(name + (f < 1 ? "-half" : "-double"), input, f < 1 ? "x0.5" : "x2", per, null, null);
    }

    private static Variant same(String name, String input, String value, List<String> profiles, Map<String, String> o) {
        Map<String, Map<String, String>> per = new LinkedHashMap<>();
        profiles.forEach(p -> per.put(p, o));
        return new Variant(name, input, value, per, null, null);
    }

    static String describe(Variant v) {
        return String.format(Locale.ROOT, "%s %s", v.input(), v.value());
    }
}
