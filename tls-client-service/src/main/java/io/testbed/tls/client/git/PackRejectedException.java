package io.testbed.tls.client.git;

import java.io.IOException;

/** JGit's PackParser rejected the received pack (bad checksum, corrupt object, truncated). */
public class PackRejectedException extends IOException {
    public PackRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
