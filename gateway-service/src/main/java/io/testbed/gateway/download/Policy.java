package io.testbed.gateway.download;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A would-block policy as tls-client runs it: what the client does when a read returns EAGAIN.
 *
 * @param type             the policy's name in tls-client (e.g. {@code sleep})
 * @param sleepMs          for {@code sleep}: how long to sleep per EAGAIN (the seed's 10 ms vs 1 ms)
 * @param idleTimeoutReads how many consecutive EAGAINs end the download as idle; null for tls-client's default
 * @param writeSleepMs     for {@code akuma-tls}: how long to sleep per EAGAIN on a write; null for tls-client's default
 */
public record Policy(String type, int sleepMs, Integer idleTimeoutReads, Integer writeSleepMs) {

    public Policy(String type, int sleepMs, Integer idleTimeoutReads) {
        this(type, sleepMs, idleTimeoutReads, null);
    }

    /** The policy as tls-client's REST API takes it. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", type);
        map.put("sleepMs", sleepMs);
        if (idleTimeoutReads != null) {
            map.put("idleTimeoutReads", idleTimeoutReads);
        }
        if (writeSleepMs != null) {
            map.put("writeSleepMs", writeSleepMs);
        }
        return map;
    }
}
