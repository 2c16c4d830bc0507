package io.testbed.kernel.api;

/**
 * A simulated kernel reachable by some binding (gRPC for the normal path, in-process for tests and
 * benchmarks). Each {@link #attach} creates one simulated user thread on a machine.
 */
public interface Kernel extends AutoCloseable {

    /**
     * Attaches a new user thread to the machine; {@code owner} is the id of what it works for (a download's
     * id), reported back in the thread's stats so callers find their threads by id; empty for none.
     *
     * @throws KernelException if the machine does not exist or the kernel cannot be reached
     */
    UserThread attach(String machineId, String threadName, String owner);

    /** {@link #attach(String, String, String)} without an owner. */
    default UserThread attach(String machineId, String threadName) {
        return attach(machineId, threadName, "");
    }

    @Override
    void close();
}
