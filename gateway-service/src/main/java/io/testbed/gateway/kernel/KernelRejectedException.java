package io.testbed.gateway.kernel;

/** kernel-sim refused a request as invalid (an unknown profile or setting, a bad value); its message says why. */
public class KernelRejectedException extends RuntimeException {
    public KernelRejectedException(String message) {
        super(message);
    }
}
