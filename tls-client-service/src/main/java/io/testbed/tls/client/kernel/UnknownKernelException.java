package io.testbed.tls.client.kernel;

import java.util.List;

/** A download named a kernel that is not configured under {@code testbed.kernels}. */
public class UnknownKernelException extends IllegalArgumentException {
    public UnknownKernelException(String name, List<String> known) {
        super("unknown kernel '" + name + "'; configured: " + known + " (testbed.kernels.<name>=host:port)");
    }
}
