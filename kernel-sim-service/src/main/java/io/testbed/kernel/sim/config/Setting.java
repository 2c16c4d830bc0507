package io.testbed.kernel.sim.config;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A typed machine setting, declared once in {@link Settings} and read as
 * {@code settings.get(Settings.SLEEP_MODEL)} (or, without boxing, {@code settings.getLong(Settings.TIMER_TICK_NS)},
 * {@code getInt}, {@code is}). Its {@link SettingDef} (name, default, bounds or choices, meaning) is what the wire,
 * the overrides and the profiles see: values there stay strings in the setting's own unit, validated by the
 * definition and parsed here, at the edge, into the model's unit (nanoseconds, bits per second, bytes).
 *
 * <p>Each setting has an index, a number in {@code [0, Settings.typed().size())} given in declaration order:
 * {@link MachineSettings} keeps the parsed values in arrays, so a read is an array load, never a map lookup.
 *
 * @param <T> the type inside the model: {@code Long} or {@code Integer} for numbers, {@code Boolean} for a two-valued
 *            choice, an enum implementing {@link Choice} for other choices
 */
public final class Setting<T> {
    private static int count;

    private final SettingDef def;
    private final int index;
    private final Function<String, T> parse;
    /** The parsed value as a long: the number itself, 1 or 0 for a flag, the ordinal of an enum. */
    private final ToLongFunction<T> asLong;

    private Setting(SettingDef def, Function<String, T> parse, ToLongFunction<T> asLong) {
        this.def = def;
        this.parse = parse;
        this.asLong = asLong;
        synchronized (Setting.class) {
            this.index = count++;
        }
    }

    /** An integer setting in {@code [min, max]}, read as a long in its own unit. */
    static Setting<Long> number(String name, long def, long min, long max, String meaning) {
        return scaled(name, def, min, max, meaning, 1);
    }

    /** A setting in microseconds on the wire, read in nanoseconds. */
    static Setting<Long> microsAsNanos(String name, long def, long min, long max, String meaning) {
        return scaled(name, def, min, max, meaning, 1_000L);
    }

    /** A setting in milliseconds on the wire, read in nanoseconds. */
    static Setting<Long> millisAsNanos(String name, long def, long min, long max, String meaning) {
        return scaled(name, def, min, max, meaning, 1_000_000L);
    }

    /** A setting in seconds on the wire, read in nanoseconds. */
    static Setting<Long> secondsAsNanos(String name, long def, long min, long max, String meaning) {
        return scaled(name, def, min, max, meaning, 1_000_000_000L);
    }

    /** A setting in kilobits (per second) on the wire, read in bits. */
    static Setting<Long> kilobitsAsBits(String name, long def, long min, long max, String meaning) {
        return scaled(name, def, min, max, meaning, 1_000L);
    }

    /** A setting in MiB on the wire, read in bytes. */
    static Setting<Long> mibAsBytes(String name, long def, long min, long max, String meaning) {
        return scaled(name, def, min, max, meaning, 1L << 20);
    }

    private static Setting<Long> scaled(String name, long def, long min, long max, String meaning, long factor) {
        return new Setting<>(SettingDef.number(name, def, min, max, meaning), v -> Long.parseLong(v) * factor, Long::longValue);
    }

    /** An integer setting in {@code [min, max]} that the model reads as an int (the range must fit one). */
    static Setting<Integer> integer(String name, long def, long min, long max, String meaning) {
        return new Setting<>(SettingDef.number(name, def, min, max, meaning), v -> Math.toIntExact(Long.parseLong(v)),
                Integer::longValue);
    }

    /** A choice setting whose values are integers, e.g. a block size of 1024, 2048 or 4096. */
    static Setting<Integer> integerChoice(String name, String def, List<String> choices, String meaning) {
        return new Setting<>(SettingDef.choice(name, def, choices, meaning), Integer::parseInt, Integer::longValue);
    }

    /**
     * A two-valued choice read as a boolean: {@code true} when the value is {@code trueValue}
     * (e.g. on/off, enabled/disabled, drop/hold).
     */
    static Setting<Boolean> flag(String name, String trueValue, String def, List<String> choices, String meaning) {
        if (choices.size() != 2 || !choices.contains(trueValue)) {
            throw new IllegalArgumentException("flag '" + name + "' needs two choices, one of them '" + trueValue + "'");
        }
        return new Setting<>(SettingDef.choice(name, def, choices, meaning), trueValue::equals, b -> b ? 1 : 0);
    }

    /** A choice setting whose values are the constants of {@code type}, in declaration order. */
    static <E extends Enum<E> & Choice> Setting<E> choice(String name, E def, Class<E> type, String meaning) {
        E[] values = type.getEnumConstants();
        List<String> names = Arrays.stream(values).map(Choice::wireName).toList();
        return new Setting<>(SettingDef.choice(name, def.wireName(), names, meaning), v -> {
            for (E e : values) {
                if (e.wireName().equals(v)) {
                    return e;
                }
            }
            // unreachable for a validated value: SettingDef.validate refuses anything else
            throw new IllegalArgumentException("setting '" + name + "' must be one of " + names + ", not '" + v + "'");
        }, Enum::ordinal);
    }

    /** How many settings exist (the size of {@link MachineSettings}' arrays). */
    static synchronized int count() {
        return count;
    }

    public String name() {
        return def.name();
    }

    public SettingDef def() {
        return def;
    }

    /** This setting's slot in {@link MachineSettings}' arrays: unique, in {@code [0, count())}. */
    int index() {
        return index;
    }

    /** The typed value of a validated string value. */
    T parse(String value) {
        return parse.apply(value);
    }

    /** A parsed value as a long (the number, 1/0 for a flag, an enum's ordinal). */
    long asLong(T value) {
        return asLong.applyAsLong(value);
    }
}
