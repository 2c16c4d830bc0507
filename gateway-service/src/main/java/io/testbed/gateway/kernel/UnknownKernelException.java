package io.testbed.gateway.kernel;

import java.util.Set;

/** A request named a kernel target that is not configured under {@code testbed.kernels}. */
public class UnknownKernelException extends RuntimeException {
    public UnknownKernelException(String name, Set<String> known) {
        super("Unknown kernel '" + name + "'; configured kernels: " + known.stream().sorted().toList()
                + " (add one with testbed.kernels." + name + "=host:port)");
    }
}
