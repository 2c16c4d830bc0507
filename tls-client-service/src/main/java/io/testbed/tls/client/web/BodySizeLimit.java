package io.testbed.tls.client.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;

/**
 * Bounds request bodies of the API to {@value #MAX_BODY_BYTES} bytes: a declared Content-Length above
 * it gets 413 problem details before anything is read, and a body without one (chunked) is cut off
 * there, which {@link ApiErrors} answers the same way. A download request is well under 1 KiB. The whole body
 * must arrive within {@code testbed.http.max-body-read-time} (10 s), or the answer is 408 and the connection
 * closes (issue 16, item 3).
 */
@Component
public class BodySizeLimit extends OncePerRequestFilter {
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** The longest a body may take to arrive, ns ({@code testbed.http.max-body-read-time}, 10 s): issue 16, item 3. */
    private final long maxReadNs;

    public BodySizeLimit(@org.springframework.beans.factory.annotation.Value("${testbed.http.max-body-read-time:10s}")
                         java.time.Duration maxReadTime) {
        this.maxReadNs = maxReadTime.toNanos();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
            response.setContentType("application/problem+json");
            // the output stream, not the writer: the writer would add a charset to the media type
            response.getOutputStream().write(("{\"type\":\"urn:testbed:tls-client:body-too-large\",\"title\":\"Request body too large\","
                    + "\"status\":413,\"detail\":\"" + detail() + "\",\"instance\":\"" + request.getRequestURI().replace("\"", "")
                    + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(new Limited(request, maxReadNs), response);
    }

    static String detail() {
        return "the request body is larger than " + MAX_BODY_BYTES + " bytes; a download request needs well under 1 KiB";
    }

    static ProblemDetail problem() {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, detail());
        p.setTitle("Request body too large");
        p.setType(URI.create("urn:testbed:tls-client:body-too-large"));
        return p;
    }

    /** Thrown by the limited body stream when the body takes longer than the read time: {@link ApiErrors} answers 408. */
    static final class TooSlowException extends IOException {
        TooSlowException(long maxReadNs) {
            super("the request body was still arriving after " + maxReadNs / 1_000_000
                    + " ms (testbed.http.max-body-read-time); send the whole body at once");
        }
    }

    /** Thrown by the limited body stream past the bound. */
    static final class TooLargeException extends IOException {
        TooLargeException() {
            super(detail());
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long maxReadNs;
        private ServletInputStream in;

        Limited(HttpServletRequest request, long maxReadNs) {
            super(request);
            this.maxReadNs = maxReadNs;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                ServletInputStream raw = super.getInputStream();
                long started = System.nanoTime();
                in = new ServletInputStream() {
                    long count;

                    @Override
                    public int read() throws IOException {
                        int b = raw.read();
                        onTime();
                        if (b >= 0 && ++count > MAX_BODY_BYTES) {
                            throw new TooLargeException();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = raw.read(b, off, len);
                        onTime();
                        if (n > 0 && (count += n) > MAX_BODY_BYTES) {
                            throw new TooLargeException();
                        }
                        return n;
                    }

                    // each read waits at most server.tomcat.connection-timeout; the whole body, this
                    private void onTime() throws IOException {
                        if (System.nanoTime() - started > maxReadNs) {
                            throw new TooSlowException(maxReadNs);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return raw.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return raw.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        raw.setReadListener(listener);
                    }
                };
            }
            return in;
        }
    }
}
