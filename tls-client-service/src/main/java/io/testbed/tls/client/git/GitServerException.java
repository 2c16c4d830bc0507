package io.testbed.tls.client.git;

import java.io.IOException;

/** The git server reported an error (side-band channel 3 or an {@code ERR} packet); the message is the server's. */
public class GitServerException extends IOException {
    private final String serverMessage;

    public GitServerException(String serverMessage) {
        super("git server error: " + serverMessage);
        this.serverMessage = serverMessage;
    }

    public String serverMessage() {
        return serverMessage;
    }
}
