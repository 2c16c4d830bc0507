package io.testbed.tls.client.transport;

import io.testbed.kernel.api.Errno;

import java.io.IOException;

/** A socket syscall failed with an errno; the message names both ("connect failed: ECONNREFUSED"). */
public class SyscallException extends IOException {
    private final String syscall;
    private final int errno;

    public SyscallException(String syscall, int errno, String detail) {
        super(syscall + " failed: " + Errno.name(errno) + (detail == null ? "" : " (" + detail + ")"));
        this.syscall = syscall;
        this.errno = errno;
    }

    public String syscall() {
        return syscall;
    }

    public int errno() {
        return errno;
    }
}
