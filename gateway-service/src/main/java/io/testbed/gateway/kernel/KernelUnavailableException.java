package io.testbed.gateway.kernel;

import io.testbed.gateway.common.DependencyUnavailableException;

/**
 * One kernel could not be reached or did not answer in time (a 503 like any unavailable dependency). Names
 * the kernel, so an experiment can stop sending to it and start the run again on another one.
 */
public class KernelUnavailableException extends DependencyUnavailableException {

    private final String kernel;

    public KernelUnavailableException(String kernel, String target, String reason, Throwable cause) {
        super(MachineAdminClient.SERVICE, target, reason, cause);
        this.kernel = kernel;
    }

    /** The kernel's name. */
    public String kernel() {
        return kernel;
    }
}
