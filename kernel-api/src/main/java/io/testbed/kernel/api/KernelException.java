package io.testbed.kernel.api;

/**
 * The kernel could not carry out a request at all (unreachable, machine gone, stream broken,
 * attach refused). A syscall that fails with an errno is not an exception: it is a reply.
 */
public class KernelException extends RuntimeException {
    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
