package io.testbed.gateway.common;

import java.util.Locale;

/**
 * The one set of states of what the gateway runs; {@link #label} is the value in the REST API, the database and
 * the metrics' {@code outcome} tag. A download is {@code running}, then {@code succeeded} or {@code failed} (so are
 * tls-client's downloads, as it reports them). A run of an experiment is {@code pending} until a thread takes it,
 * {@code running}, then {@code succeeded}, {@code failed}, {@code stopped} (it reached the experiment's
 * simulated-time bound with downloads still going: a measurement, its figures are kept) or {@code cancelled} (it
 * never started: the gateway stopped first). An experiment or a reproduction is {@code running}, then
 * {@code completed} or {@code failed}.
 */
public enum Status {
    PENDING, RUNNING, SUCCEEDED, FAILED, STOPPED, CANCELLED, COMPLETED;

    /** The lowercase name used in the REST API, the database and as the metrics' {@code outcome} tag. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code label} is this status's {@link #label}. */
    public boolean is(String label) {
        return label().equals(label);
    }

    /** The status whose {@link #label} is {@code label}, or null for none. */
    public static Status of(String label) {
        for (Status s : values()) {
            if (s.is(label)) {
                return s;
            }
        }
        return null;
    }
}
