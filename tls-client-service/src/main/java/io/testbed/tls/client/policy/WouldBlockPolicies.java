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

    /**
     * The bounds of every policy parameter, {@code name -> [min, max]}: what {@link #create} accepts (the
     * same constants), published in {@code GET /api/capabilities} so callers check against one source.
     * Also: a backoff's {@code maxMs} must be at least its {@code minMs}.
     */
    public static Map<String, List<Number>> bounds() {
        Map<String, List<Number>> b = new LinkedHashMap<>();
        b.put("sleepMs", List.of(0, SleepOnWouldBlock.MAX_SLEEP_MS));
        b.put("idleTimeoutReads", List.of(1, IdleBound.MAX_READS));
        b.put("idleTimeoutMs", List.of(1, IdleBound.MAX_MS));
        b.put("minMs", List.of(0, SleepOnWouldBlock.MAX_SLEEP_MS));
        b.put("maxMs", List.of(0, SleepOnWouldBlock.MAX_SLEEP_MS));
        b.put("factor", List.of(1.0, 16.0));
        b.put("timeoutMs", List.of(0, PollOnWouldBlock.MAX_TIMEOUT_MS));
        return b;
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
