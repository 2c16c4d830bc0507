package io.testbed.tls.client.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The would-block policies by name: {@code sleep}, {@code yield}, {@code backoff}, {@code poll},
 * {@code blocking}, {@code akuma-tls}. Adding one is a class implementing {@link WouldBlockPolicy} and one line here.
 */
public final class WouldBlockPolicies {

    private static final Map<String, Function<PolicySpec, WouldBlockPolicy>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(SleepOnWouldBlock.NAME, SleepOnWouldBlock::from);
        FACTORIES.put(YieldOnWouldBlock.NAME, YieldOnWouldBlock::from);
        FACTORIES.put(BackoffOnWouldBlock.NAME, BackoffOnWouldBlock::from);
        FACTORIES.put(PollOnWouldBlock.NAME, PollOnWouldBlock::from);
        FACTORIES.put(BlockingRecv.NAME, BlockingRecv::from);
        FACTORIES.put(AkumaTlsTransport.NAME, AkumaTlsTransport::from);
    }

    private WouldBlockPolicies() {
    }

    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * @throws IllegalArgumentException for an unknown type; {@link InvalidPolicyException} for a
     *                                  parameter out of range; the message says which and what is allowed
     */
    public static WouldBlockPolicy create(PolicySpec spec) {
        String type = spec == null || spec.type() == null ? SleepOnWouldBlock.NAME : spec.type();
        Function<PolicySpec, WouldBlockPolicy> factory = FACTORIES.get(type);
        if (factory == null) {
            throw new IllegalArgumentException("unknown would-block policy '" + type + "'; known: " + names());
        }
        return factory.apply(spec == null ? PolicySpec.of(type) : spec);
    }
}
