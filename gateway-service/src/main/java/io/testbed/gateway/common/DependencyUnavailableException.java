package io.testbed.gateway.common;

/**
 * A downstream service could not be reached or answered nonsense. The web layer turns it into a
 * 503 problem detail that names the service and where the gateway looked for it.
 */
public class DependencyUnavailableException extends RuntimeException {

    private final String dependency;
    private final String target;

    public DependencyUnavailableException(String dependency, String target, String reason, Throwable cause) {
        super(dependency + " at " + target + " is unavailable: " + reason, cause);
        this.dependency = dependency;
        this.target = target;
    }

    /** The service's name, e.g. {@code tls-client-service}. */
    public String dependency() {
        return dependency;
    }

    /** Where the gateway tried to reach it (a URL or host:port). */
    public String target() {
        return target;
    }
}
