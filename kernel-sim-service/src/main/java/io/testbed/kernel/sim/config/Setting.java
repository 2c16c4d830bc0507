package io.testbed.kernel.sim.config;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A typed machine setting, declared once in {@link Settings} and read as
 * {@code settings.get(Settings.SLEEP_MODEL)}. Its {@link SettingDef} (name, default, bounds or choices,
 * meaning) is what the wire, the overrides and the profiles see: values there stay strings, validated
 * by the definition and parsed here, at the edge.
 *
 * @param <T> the type inside the model: {@code Long} for numbers, an enum implementing {@link Choice} for choices
 */
public final class Setting<T> {
    private final SettingDef def;
    private final Function<String, T> parse;

    private Setting(SettingDef def, Function<String, T> parse) {
        this.def = def;
        this.parse = parse;
    }

    /** An integer setting in {@code [min, max]}. */
    static Setting<Long> number(String name, long def, long min, long max, String meaning) {
        return new Setting<>(SettingDef.number(name, def, min, max, meaning), Long::parseLong);
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
        });
    }

    public String name() {
        return def.name();
    }

    public SettingDef def() {
        return def;
    }

    /** The typed value of a validated string value. */
    T parse(String value) {
        return parse.apply(value);
    }
}
