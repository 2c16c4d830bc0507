package io.testbed.tls.client.transport;

import java.io.IOException;

/** The would-block policy's idle bound was reached: N consecutive reads returned no data (Akuma's timeout). */
public class IdleTimeoutException extends IOException {
    private final int emptyReads;

    public IdleTimeoutException(int emptyReads) {
        super("idle timeout after " + emptyReads + " empty reads");
        this.emptyReads = emptyReads;
    }

    public int emptyReads() {
        return emptyReads;
    }
}
