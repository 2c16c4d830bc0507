package io.testbed.tls.client.http;

import java.io.IOException;

/** The server's bytes are not valid HTTP/1.1 (bad status line, header, chunk, or a truncated body). */
public class HttpProtocolException extends IOException {
    private final boolean connectionClosed;

    public HttpProtocolException(String message) {
        this(message, false);
    }

    /** @param connectionClosed the stream ended before the response was whole (truncated, not malformed) */
    public HttpProtocolException(String message, boolean connectionClosed) {
        super(message);
        this.connectionClosed = connectionClosed;
    }

    /** Whether the stream ended before the response was whole (rather than carrying bad bytes). */
    public boolean connectionClosed() {
        return connectionClosed;
    }
}
