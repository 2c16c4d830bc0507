package io.testbed.kernel.sim.fs;

/** A file-system operation failed with a Linux errno (Akuma's FsError mapped to what Linux returns). */
public final class FsException extends RuntimeException {
    private final int errno;

    public FsException(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
