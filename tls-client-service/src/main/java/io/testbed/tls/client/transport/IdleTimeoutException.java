package io.testbed.tls.client.transport;

import java.io.IOException;

/**
 * The would-block policy's idle bound was reached: N consecutive reads returned no data (Akuma's
 * timeout, 500 x 10 ms), or no data came for a simulated duration.
 */
public class IdleTimeoutException extends IOException {
    private final int emptyReads;

    public IdleTimeoutException(int emptyReads) {
        super("idle timeout after " + emptyReads + " empty reads");
        this.emptyReads = emptyReads;
    }

    public IdleTimeoutException(int emptyReads, long idleNs, long boundNs) {
        super("idle timeout: no data for " + idleNs / 1_000_000 + " ms of simulated time (bound "
                + boundNs / 1_000_000 + " ms, " + emptyReads + " empty reads)");
        this.emptyReads = emptyReads;
    }

    public int emptyReads() {
        return emptyReads;
    }
}
