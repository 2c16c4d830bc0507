package io.testbed.tls.client.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The would-block policies by name. Adding one ({@code yield}, {@code backoff}, {@code poll},
 * {@code blocking}) is a class implementing {@link WouldBlockPolicy} and one line here.
 */
public final class WouldBlockPolicies {

    private static final Map<String, Function<PolicySpec, WouldBlockPolicy>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(SleepOnWouldBlock.NAME, SleepOnWouldBlock::from);
    }

    private WouldBlockPolicies() {
    }

    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * @throws IllegalArgumentException for an unknown type or a parameter out of range, with a
     *                                  message that says which and what is allowed
     */
    public static WouldBlockPolicy create(PolicySpec spec) {
        String type = spec == null || spec.type() == null ? SleepOnWouldBlock.NAME : spec.type();
        Function<PolicySpec, WouldBlockPolicy> factory = FACTORIES.get(type);
        if (factory == null) {
            throw new IllegalArgumentException("unknown would-block policy '" + type + "'; known: " + names());
        }
        return factory.apply(spec == null ? new PolicySpec(type, null, null) : spec);
    }
}
