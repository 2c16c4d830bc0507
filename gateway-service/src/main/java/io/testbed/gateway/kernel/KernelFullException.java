package io.testbed.gateway.kernel;

/**
 * kernel-sim answered RESOURCE_EXHAUSTED: it runs as many machines as it may (its machine limit). Not
 * the caller's fault and not for good: the web layer answers 503 with a {@code Retry-After} header.
 */
public class KernelFullException extends RuntimeException {
    /** Seconds a client should wait before trying again. */
    public static final int RETRY_AFTER_SECONDS = 30;

    public KernelFullException(String message) {
        super(message);
    }
}
