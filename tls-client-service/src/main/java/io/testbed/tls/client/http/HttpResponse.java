package io.testbed.tls.client.http;

import io.testbed.tls.client.engine.TlsConnection;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response whose body is still on the wire: {@link #body()} streams it (de-chunked or bounded by
 * Content-Length), and {@link #close()} closes the connection, which served only this request.
 */
public final class HttpResponse implements Closeable {
    private final int status;
    private final String reason;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final TlsConnection connection;

    HttpResponse(int status, String reason, Map<String, List<String>> headers, InputStream body, TlsConnection connection) {
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
        this.connection = connection;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** Header names are lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public InputStream body() {
        return body;
    }

    public TlsConnection connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.close();
    }
}
