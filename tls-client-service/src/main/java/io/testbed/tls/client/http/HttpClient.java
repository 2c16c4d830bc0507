package io.testbed.tls.client.http;

import io.testbed.kernel.api.Errno;
import io.testbed.tls.client.engine.TlsConnection;
import io.testbed.tls.client.transport.SyscallException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client. By default as Akuma's scratch has one: every request opens a new TLS
 * connection and asks for {@code Connection: close}. With keep-alive, one TLS connection carries
 * the requests one after the other (HTTP/1.1 persistent connection; a response must be read to its
 * end before the next request, which {@link HttpResponse#close()} does); a server that answers
 * {@code Connection: close} or sends a body delimited by closing gets a new connection next time.
 * Bodies are sent with Content-Length; responses are read sized, chunked, or until close. The
 * request head and body go out in one write, so one TLS record. Not thread-safe: one per download.
 */
public final class HttpClient implements Closeable {
    private static final int MAX_HEADERS = 100;

    private final ConnectionFactory connections;
    private final String hostHeader;
    private final String userAgent;
    private final boolean keepAlive;
    private TlsConnection kept;
    private InputStream keptIn;

    public HttpClient(ConnectionFactory connections, String host, int port, String userAgent) {
        this(connections, host, port, userAgent, false);
    }

    public HttpClient(ConnectionFactory connections, String host, int port, String userAgent, boolean keepAlive) {
        this.connections = connections;
        this.hostHeader = port == 443 ? host : host + ":" + port;
        this.userAgent = userAgent;
        this.keepAlive = keepAlive;
    }

    public boolean keepAlive() {
        return keepAlive;
    }

    public HttpResponse get(String path, Map<String, String> headers) throws IOException {
        return exchange("GET", path, headers, null);
    }

    public HttpResponse post(String path, Map<String, String> headers, byte[] body) throws IOException {
        return exchange("POST", path, headers, body);
    }

    /** Sends the request and reads the response head; a non-2xx status raises {@link HttpStatusException}. */
    public HttpResponse exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        TlsConnection connection;
        InputStream in;
        if (keepAlive && kept != null) {
            connection = kept;
            in = keptIn;
        } else {
            connection = connections.open();
            // one buffer per connection: with keep-alive it holds the start of the next response
            in = new BufferedInputStream(connection.input(), 16 * 1024);
        }
        kept = null;
        keptIn = null;
        try {
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(hostHeader).append("\r\n");
            head.append("User-Agent: ").append(userAgent).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append(keepAlive ? "\r\n" : "Connection: close\r\n\r\n");
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                request.write(body);
            }
            connection.output().write(request.toByteArray());
            connection.output().flush();

            String statusLine = BodyStreams.readLine(in);
            if (statusLine == null) {
                throw new HttpProtocolException(method + " " + path + ": connection closed before a response", true);
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new HttpProtocolException("bad status line: " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new HttpProtocolException("bad status line: " + statusLine);
            }
            String reason = parts.length > 2 ? parts[2] : "";
            Map<String, List<String>> responseHeaders = readHeaders(in);
            InputStream body0 = bodyOf(method, status, responseHeaders, in);
            boolean reusable = keepAlive && body0 != in && !hasToken(responseHeaders.get("connection"), "close");
            InputStream responseBody = new ResetAware(body0, connection);
            Runnable done = reusable ? () -> {
                kept = connection;
                keptIn = in;
            } : null;
            HttpResponse response = new HttpResponse(status, reason, responseHeaders, responseBody, connection, done);
            if (status < 200 || status > 299) {
                throw new HttpStatusException(method, path, status, reason, BodyStreams.snippet(responseBody, 300));
            }
            return response;
        } catch (IOException e) {
            IOException thrown = resetOr(connection, e);
            connection.close();
            throw thrown;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * The connection ended early ({@code e} says the stream closed before the response was whole):
     * if the kernel says the peer reset it, an {@code ECONNRESET} failure instead, with {@code e} as
     * its cause. Akuma's recvfrom reads a reset connection as end of file, so only a probe after the
     * fact ({@link TlsConnection#peerReset()}) tells a reset from a close; normal downloads never probe.
     */
    static IOException resetOr(TlsConnection connection, IOException e) {
        if (!(e instanceof HttpProtocolException p) || !p.connectionClosed()) {
            return e;
        }
        try {
            if (connection.peerReset()) {
                SyscallException reset = new SyscallException("recvfrom", Errno.ECONNRESET,
                        "the server reset the connection: " + e.getMessage());
                reset.initCause(e);
                return reset;
            }
        } catch (RuntimeException probeFailed) {
            e.addSuppressed(probeFailed);
        }
        return e;
    }

    /** A response body whose early end is reported as a reset when the peer reset the connection. */
    private static final class ResetAware extends java.io.FilterInputStream {
        private final TlsConnection connection;

        ResetAware(InputStream in, TlsConnection connection) {
            super(in);
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw resetOr(connection, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw resetOr(connection, e);
            }
        }
    }

    /** Closes the connection kept for the next request, if any. */
    @Override
    public void close() {
        if (kept != null) {
            kept.close();
            kept = null;
            keptIn = null;
        }
    }

    private static boolean hasToken(List<String> values, String token) {
        if (values == null) {
            return false;
        }
        for (String v : values) {
            for (String t : v.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            String line = BodyStreams.readLine(in);
            if (line == null) {
                throw new HttpProtocolException("connection closed inside the response headers", true);
            }
            if (line.isEmpty()) {
                return headers;
            }
            if (i >= MAX_HEADERS) {
                throw new HttpProtocolException("more than " + MAX_HEADERS + " response headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new HttpProtocolException("bad header line: " + line);
            }
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
    }

    private static InputStream bodyOf(String method, int status, Map<String, List<String>> headers, InputStream in)
            throws IOException {
        if ("HEAD".equals(method) || status == 204 || status == 304 || status / 100 == 1) {
            return InputStream.nullInputStream();
        }
        List<String> te = headers.get("transfer-encoding");
        if (te != null && te.get(te.size() - 1).toLowerCase(Locale.ROOT).contains("chunked")) {
            return new BodyStreams.Chunked(in);
        }
        List<String> cl = headers.get("content-length");
        if (cl != null) {
            try {
                return new BodyStreams.Sized(in, Long.parseLong(cl.get(0)));
            } catch (NumberFormatException e) {
                throw new HttpProtocolException("bad Content-Length: " + cl.get(0));
            }
        }
        return in; // until the server closes
    }
}
