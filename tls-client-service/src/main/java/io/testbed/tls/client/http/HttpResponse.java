package io.testbed.tls.client.http;

import io.testbed.tls.client.engine.TlsConnection;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response whose body is still on the wire: {@link #body()} streams it (de-chunked or bounded by
 * Content-Length). {@link #close()} closes the connection, which served only this request; on a
 * kept-alive connection it reads the rest of the body instead and hands the connection back for
 * the next request.
 */
public final class HttpResponse implements Closeable {
    private final int status;
    private final String reason;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final TlsConnection connection;
    private final Runnable keep;
    private boolean closed;

    HttpResponse(int status, String reason, Map<String, List<String>> headers, InputStream body, TlsConnection connection,
                 Runnable keep) {
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
        this.connection = connection;
        this.keep = keep;
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

    /** Closes the connection without reading on (after a failure: the rest of the body is not wanted). */
    public void abort() {
        if (!closed) {
            closed = true;
            connection.close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (keep != null) {
            try {
                body.transferTo(OutputStream.nullOutputStream());
                keep.run();
                return;
            } catch (IOException | RuntimeException e) {
                // not reusable: close it below
            }
        }
        connection.close();
    }
}
