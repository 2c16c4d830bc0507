package io.testbed.kernel.api;

/**
 * A simulated kernel reachable by some binding (gRPC for the normal path, in-process for tests and
 * benchmarks). Each {@link #attach} creates one simulated user thread on a machine.
 */
public interface Kernel extends AutoCloseable {

    /**
     * Attaches a new user thread to the machine.
     *
     * @throws KernelException if the machine does not exist or the kernel cannot be reached
     */
    UserThread attach(String machineId, String threadName);

    @Override
    void close();
}
