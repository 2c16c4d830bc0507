package io.testbed.tls.client.http;

import java.io.IOException;

/** The server answered with a status other than the one expected. */
public class HttpStatusException extends IOException {
    private final int status;

    public HttpStatusException(String method, String path, int status, String reason, String body) {
        super(method + " " + path + " -> HTTP " + status + " " + reason + (body.isEmpty() ? "" : ": " + body));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
