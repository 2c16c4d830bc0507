package io.testbed.tls.client.policy;

/**
 * A would-block policy as asked for in a download request: the type name and its parameters; a
 * parameter left null takes the policy's default. Policies added later add their parameters here.
 *
 * @param type             registered policy name ("sleep")
 * @param sleepMs          sleep per would-block for {@code sleep} (Akuma before the seed's fix: 10)
 * @param idleTimeoutReads consecutive empty reads before giving up (Akuma: 500)
 */
public record PolicySpec(String type, Integer sleepMs, Integer idleTimeoutReads) {

    public static PolicySpec sleep(int sleepMs, int idleTimeoutReads) {
        return new PolicySpec(SleepOnWouldBlock.NAME, sleepMs, idleTimeoutReads);
    }
}
