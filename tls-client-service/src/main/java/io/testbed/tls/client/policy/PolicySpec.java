package io.testbed.tls.client.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A would-block policy as asked for in a download request: the type name and its parameters; a
 * parameter left null takes the policy's default, one a policy does not use is ignored.
 *
 * @param type             registered policy name: sleep, yield, backoff, poll, blocking, akuma-tls
 * @param sleepMs          {@code sleep}: nanosleep per would-block (Akuma before the seed's fix: 10)
 * @param idleTimeoutReads consecutive empty reads before giving up (Akuma: 500; sleep's default)
 * @param idleTimeoutMs    simulated time without data before giving up (the others' default: 5000)
 * @param minMs            {@code backoff}: first sleep (default 1)
 * @param maxMs            {@code backoff}: longest sleep (default 10)
 * @param factor           {@code backoff}: growth per consecutive empty read (default 2)
 * @param timeoutMs        {@code poll}: the poll syscall's timeout (default 10)
 * @param writeSleepMs     {@code akuma-tls}: nanosleep per would-block on a write (libakuma-tls: 10)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicySpec(String type, Integer sleepMs, Integer idleTimeoutReads, Integer idleTimeoutMs,
                         Integer minMs, Integer maxMs, Double factor, Integer timeoutMs, Integer writeSleepMs) {

    public PolicySpec(String type, Integer sleepMs, Integer idleTimeoutReads, Integer idleTimeoutMs, Integer minMs,
                      Integer maxMs, Double factor, Integer timeoutMs) {
        this(type, sleepMs, idleTimeoutReads, idleTimeoutMs, minMs, maxMs, factor, timeoutMs, null);
    }

    public PolicySpec(String type, Integer sleepMs, Integer idleTimeoutReads) {
        this(type, sleepMs, idleTimeoutReads, null, null, null, null, null);
    }

    /** This spec with the idle bound replaced. */
    public PolicySpec withIdle(Integer reads, Integer ms) {
        return new PolicySpec(type, sleepMs, reads, ms, minMs, maxMs, factor, timeoutMs, writeSleepMs);
    }

    public static PolicySpec of(String type) {
        return new PolicySpec(type, null, null);
    }

    public static PolicySpec sleep(int sleepMs, int idleTimeoutReads) {
        return new PolicySpec(SleepOnWouldBlock.NAME, sleepMs, idleTimeoutReads);
    }

    public static PolicySpec backoff(int minMs, int maxMs, double factor) {
        return new PolicySpec(BackoffOnWouldBlock.NAME, null, null, null, minMs, maxMs, factor, null);
    }

    public static PolicySpec poll(int timeoutMs) {
        return new PolicySpec(PollOnWouldBlock.NAME, null, null, null, null, null, null, timeoutMs);
    }
}
