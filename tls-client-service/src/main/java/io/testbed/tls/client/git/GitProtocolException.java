package io.testbed.tls.client.git;

import java.io.IOException;

/** The server's git protocol bytes are not what smart HTTP v0/v1 allows. */
public class GitProtocolException extends IOException {
    public GitProtocolException(String message) {
        super(message);
    }
}
