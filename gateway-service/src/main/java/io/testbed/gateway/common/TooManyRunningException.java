package io.testbed.gateway.common;

/**
 * The gateway already runs as many downloads (or experiments) as a bound allows. The web layer turns it
 * into a 429 problem detail with a {@code Retry-After} header, naming the bound and its setting.
 */
public class TooManyRunningException extends RuntimeException {

    private final int bound;
    private final String setting;
    private final int retryAfterSeconds;

    /**
     * @param what              what is running, plural ("downloads", "experiments and reproductions")
     * @param bound             how many may run at once
     * @param setting           the property holding the bound
     * @param retryAfterSeconds when to try again
     */
    public TooManyRunningException(String what, int bound, String setting, int retryAfterSeconds) {
        super(bound + " " + what + " are running already, the most the gateway runs at once (" + setting + " = " + bound
                + "); nothing was started: retry after " + retryAfterSeconds + " s, when one has ended");
        this.bound = bound;
        this.setting = setting;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int bound() {
        return bound;
    }

    public String setting() {
        return setting;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
