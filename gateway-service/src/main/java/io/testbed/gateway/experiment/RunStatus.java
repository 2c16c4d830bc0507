package io.testbed.gateway.experiment;

import java.util.Set;

/**
 * A run's status. {@code stopped}: it reached the experiment's simulated-time bound with downloads
 * still going (a measurement: they did not finish in that time; its figures are kept).
 * {@code cancelled}: it never started (the gateway stopped first).
 */
public final class RunStatus {
    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String STOPPED = "stopped";
    public static final String CANCELLED = "cancelled";

    static final Set<String> ENDED = Set.of(SUCCEEDED, FAILED, STOPPED, CANCELLED);

    private RunStatus() {
    }
}
