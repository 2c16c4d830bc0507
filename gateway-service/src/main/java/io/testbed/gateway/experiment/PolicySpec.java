package io.testbed.gateway.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A would-block policy as tls-client takes it ({@code policy} of its {@code POST /api/downloads}):
 * a type from its {@code GET /api/capabilities} and that type's parameters, null ones left to
 * tls-client's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicySpec(String type, Integer sleepMs, Integer idleTimeoutReads, Integer idleTimeoutMs,
                         Integer minMs, Integer maxMs, Double factor, Integer timeoutMs, Integer writeSleepMs) {

    public PolicySpec(String type, Integer sleepMs, Integer idleTimeoutReads, Integer idleTimeoutMs,
                      Integer minMs, Integer maxMs, Double factor, Integer timeoutMs) {
        this(type, sleepMs, idleTimeoutReads, idleTimeoutMs, minMs, maxMs, factor, timeoutMs, null);
    }

    /** Akuma's scratch client's policy at a profile's commit (libakuma-tls's read and write sleeps). */
    public static PolicySpec scratch(String profile) {
        return new PolicySpec(io.testbed.gateway.download.ScratchPolicies.TYPE,
                io.testbed.gateway.download.ScratchPolicies.readSleepMs(profile), null, null, null, null, null, null,
                io.testbed.gateway.download.ScratchPolicies.writeSleepMs(profile));
    }

    public static PolicySpec sleep(int ms) {
        return new PolicySpec("sleep", ms, null, null, null, null, null, null);
    }

    /** Akuma's libakuma-tls transport (tls-client's {@code akuma-tls}): sleep {@code ms} on a read that would block, no idle bound. */
    public static PolicySpec akumaTls(int ms) {
        return new PolicySpec("akuma-tls", ms, null, null, null, null, null, null);
    }

    public static PolicySpec of(String type) {
        return new PolicySpec(type, null, null, null, null, null, null, null);
    }

    public PolicySpec withIdleTimeoutReads(int reads) {
        return new PolicySpec(type, sleepMs, reads, idleTimeoutMs, minMs, maxMs, factor, timeoutMs, writeSleepMs);
    }

    /** The body tls-client takes; only the fields set. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        put(m, "sleepMs", sleepMs);
        put(m, "idleTimeoutReads", idleTimeoutReads);
        put(m, "idleTimeoutMs", idleTimeoutMs);
        put(m, "minMs", minMs);
        put(m, "maxMs", maxMs);
        put(m, "factor", factor);
        put(m, "timeoutMs", timeoutMs);
        put(m, "writeSleepMs", writeSleepMs);
        return m;
    }

    /** A short human name: {@code sleep 10 ms}, {@code backoff 1-10 ms}, {@code yield}. */
    public String label() {
        StringBuilder b = new StringBuilder(type);
        if (sleepMs != null) {
            b.append(' ').append(sleepMs).append(" ms");
        }
        if (minMs != null || maxMs != null) {
            b.append(' ').append(minMs == null ? "" : minMs).append('-').append(maxMs == null ? "" : maxMs).append(" ms");
        }
        if (factor != null) {
            b.append(" x").append(factor);
        }
        if (timeoutMs != null) {
            b.append(" timeout ").append(timeoutMs).append(" ms");
        }
        if (writeSleepMs != null) {
            b.append(" write ").append(writeSleepMs).append(" ms");
        }
        if (idleTimeoutReads != null) {
            b.append(" idle ").append(idleTimeoutReads).append(" reads");
        }
        if (idleTimeoutMs != null) {
            b.append(" idle ").append(idleTimeoutMs).append(" ms");
        }
        return b.toString();
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
