package io.testbed.tls.client.scratch;

import io.testbed.tls.client.engine.TlsConnection;
import io.testbed.tls.client.http.HttpProtocolException;
import io.testbed.tls.client.transport.IdleTimeoutException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * scratch's HTTPS: a new TCP+TLS connection per request ({@code Connection: close}), two 16 KiB
 * record buffers per connection ({@code TLS_RECORD_SIZE}, libakuma-tls src/lib.rs:32), TLS reads of
 * 4096 bytes. {@link #get} is {@code HttpClient::send_https} (scratch src/http.rs:199-230, the whole
 * response read until the stream ends, progress every 64 KiB); {@link #postStreaming} is
 * {@code process_pack_streaming} (src/stream.rs:252-401): each TLS read's body bytes go to the
 * consumer at once, a read error ends the body silently.
 */
final class ScratchHttp {
    static final int TLS_RECORD_SIZE = 16384;
    static final int READ_SIZE = 4096;
    static final int PROGRESS_STEP = 65536;
    static final String USER_AGENT = "scratch/1.0";

    /** A parsed response: status, headers (names lower-cased), body (chunking removed). */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Told each piece of body as one TLS read delivers it. */
    interface BodyConsumer {
        void accept(byte[] body) throws IOException;
    }

    private final ScratchSys sys;
    private final Connector connector;
    private final String host;

    ScratchHttp(ScratchSys sys, Connector connector, String host) {
        this.sys = sys;
        this.connector = connector;
        this.host = host;
    }

    /** GET on its own connection; the whole response is read before it is parsed. */
    Response get(String path) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: " + USER_AGENT
                + "\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        Buffers buffers = new Buffers();
        TlsConnection tls = open(buffers);
        try {
            send(tls, request.getBytes(StandardCharsets.US_ASCII), new byte[0]);
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buf = new byte[READ_SIZE];
            long lastReport = 0;
            InputStream in = tls.input();
            while (true) {
                int n;
                try {
                    n = in.read(buf, 0, READ_SIZE);
                } catch (IdleTimeoutException e) {
                    throw e;
                } catch (IOException e) {
                    break; // read_tls_response: Err(_) => break
                }
                if (n <= 0) {
                    break;
                }
                response.write(buf, 0, n);
                if (response.size() - lastReport >= PROGRESS_STEP) {
                    sys.print("scratch: received ");
                    ScratchClient.printSize(sys, response.size());
                    sys.print("\r");
                    lastReport = response.size();
                }
            }
            if (response.size() > PROGRESS_STEP) {
                sys.print("\n");
            }
            tls.close();
            return parse(response.toByteArray());
        } finally {
            tls.close();
            buffers.free();
        }
    }

    /** POST whose response body is handed to {@code consumer} read by read; fails only on a bad status or header. */
    long postStreaming(String path, String contentType, byte[] body, BodyConsumer consumer) throws IOException {
        String request = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: " + USER_AGENT
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                + "\r\nAccept: application/x-git-upload-pack-result\r\nConnection: close\r\n\r\n";
        Buffers buffers = new Buffers();
        TlsConnection tls = open(buffers);
        try {
            send(tls, request.getBytes(StandardCharsets.US_ASCII), body);
            long total = receive(tls, consumer);
            sys.print("scratch: download finished, total ");
            ScratchClient.printSize(sys, total);
            sys.print("\n");
            tls.close();
            return total;
        } finally {
            tls.close();
            buffers.free();
        }
    }

    private long receive(TlsConnection tls, BodyConsumer consumer) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        boolean parsed = false;
        ChunkedDecoder chunked = null;
        long total = 0;
        long lastProgress = 0;
        byte[] buf = new byte[READ_SIZE];
        InputStream in = tls.input();
        while (true) {
            int n;
            try {
                n = in.read(buf, 0, READ_SIZE);
            } catch (IdleTimeoutException e) {
                throw e; // a bound the request asked for; libakuma-tls has none
            } catch (IOException e) {
                sys.print("\nscratch: TLS read error, stopping\n");
                sys.mark("TLS read error: " + e.getMessage());
                readError = e;
                break;
            }
            if (n <= 0) {
                break;
            }
            sys.mark("tls read " + n);
            byte[] decoded;
            if (!parsed) {
                header.write(buf, 0, n);
                byte[] h = header.toByteArray();
                int end = headerEnd(h);
                if (end < 0) {
                    continue;
                }
                Response head = parseHead(h, end);
                if (head.status() != 200) {
                    throw new HttpProtocolException("status " + head.status());
                }
                parsed = true;
                String te = head.header("transfer-encoding");
                chunked = te != null && te.contains("chunked") ? new ChunkedDecoder() : null;
                decoded = java.util.Arrays.copyOfRange(h, end, h.length);
                if (chunked != null && decoded.length > 0) {
                    decoded = chunked.process(decoded, 0, decoded.length);
                }
            } else {
                decoded = chunked != null ? chunked.process(buf, 0, n) : java.util.Arrays.copyOf(buf, n);
            }
            sys.cpu().packParsed(n);
            if (decoded.length > 0) {
                total += decoded.length;
                consumer.accept(decoded);
            }
            if (parsed && chunked != null && chunked.done()) {
                sys.print("\nscratch: chunked transfer complete\n");
                break;
            }
            if (total - lastProgress >= PROGRESS_STEP) {
                sys.print("scratch: received ");
                ScratchClient.printSize(sys, total);
                sys.print("\r");
                lastProgress = total;
            }
        }
        return total;
    }

    /** The TLS read that ended the body with an error (scratch goes on with what it has), or null. */
    IOException readError;

    /** Connects (buffers allocated after connect); a failed handshake still frees them, as their drop would. */
    private TlsConnection open(Buffers buffers) throws IOException {
        try {
            return connector.open(buffers::allocate);
        } catch (IOException | RuntimeException e) {
            buffers.free();
            throw e;
        }
    }

    private void send(TlsConnection tls, byte[] request, byte[] body) throws IOException {
        // embedded-tls collects write_all()s in its 16 KiB write buffer and sends them at flush()
        OutputStream out = tls.output();
        byte[] all = new byte[request.length + body.length];
        System.arraycopy(request, 0, all, 0, request.length);
        System.arraycopy(body, 0, all, request.length, body.length);
        out.write(all);
        out.flush();
    }

    static int headerEnd(byte[] h) {
        for (int i = 0; i + 3 < h.length; i++) {
            if (h[i] == '\r' && h[i + 1] == '\n' && h[i + 2] == '\r' && h[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    static Response parse(byte[] data) throws HttpProtocolException {
        int end = headerEnd(data);
        if (end < 0) {
            throw new HttpProtocolException("invalid HTTP response: no header end");
        }
        Response head = parseHead(data, end);
        byte[] body = java.util.Arrays.copyOfRange(data, end, data.length);
        String te = head.header("transfer-encoding");
        if (te != null && te.contains("chunked")) {
            body = ChunkedDecoder.decodeAll(body);
        }
        return new Response(head.status(), head.headers(), body);
    }

    private static Response parseHead(byte[] data, int end) throws HttpProtocolException {
        String[] lines = new String(data, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].trim().split("\\s+");
        if (status.length < 2) {
            throw new HttpProtocolException("missing status code in '" + lines[0] + "'");
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new HttpProtocolException("invalid status code in '" + lines[0] + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new Response(code, headers, new byte[0]);
    }

    /** The connection's two record buffers: mmap'd after connect, unmapped after the close. */
    private final class Buffers {
        private long read = -1;
        private long write = -1;

        void allocate() {
            read = sys.mmap(TLS_RECORD_SIZE);
            write = sys.mmap(TLS_RECORD_SIZE);
        }

        void free() {
            if (write >= 0) {
                sys.munmap(write, TLS_RECORD_SIZE);
                write = -1;
            }
            if (read >= 0) {
                sys.munmap(read, TLS_RECORD_SIZE);
                read = -1;
            }
        }
    }
}
