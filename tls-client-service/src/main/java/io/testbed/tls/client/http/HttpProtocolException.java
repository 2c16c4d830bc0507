package io.testbed.tls.client.http;

import java.io.IOException;

/** The server's bytes are not valid HTTP/1.1 (bad status line, header, chunk, or a truncated body). */
public class HttpProtocolException extends IOException {
    public HttpProtocolException(String message) {
        super(message);
    }
}
