package io.testbed.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Refuses request bodies over {@code testbed.api.max-body-bytes}: at once when Content-Length says
 * so, otherwise while reading (the parse then fails with {@link BodyTooLargeException}, which
 * {@link ProblemDetailsAdvice} answers with 413).
 */
@Component
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final int maxBytes;
    private final long maxReadNs;

    public RequestBodyLimitFilter(ApiProperties properties) {
        this.maxBytes = properties.maxBodyBytes();
        this.maxReadNs = properties.maxBodyReadTime().toNanos();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                    + "\"detail\":\"" + tooLarge(maxBytes) + "\",\"instance\":\"" + request.getRequestURI().replace("\"", "") + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        // every body is read against a deadline (issue 16, item 3): a never-ending or trickling body is
        // cut off after testbed.api.max-body-read-time (one read waits at most Tomcat's connection-timeout)
        chain.doFilter(new Limited(request, request.getContentLengthLong() < 0 ? maxBytes : Integer.MAX_VALUE, maxReadNs), response);
    }

    static String tooLarge(int maxBytes) {
        return "The request body is larger than " + maxBytes + " bytes (testbed.api.max-body-bytes); a download or experiment request is far smaller";
    }

    /** Thrown while reading a body of unknown length that turns out too large. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(int maxBytes) {
            super(tooLarge(maxBytes));
        }
    }

    /** Thrown while reading a body that takes longer than {@code testbed.api.max-body-read-time}. */
    static final class BodyTooSlowException extends IOException {
        BodyTooSlowException(long maxReadNs) {
            super("The request body was still arriving after " + maxReadNs / 1_000_000 + " ms (testbed.api.max-body-read-time);"
                    + " send the whole body at once");
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final int maxBytes;
        private final long maxReadNs;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, int maxBytes, long maxReadNs) {
            super(request);
            this.maxBytes = maxBytes;
            this.maxReadNs = maxReadNs;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                long started = System.nanoTime();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws IOException {
                        if (System.nanoTime() - started > maxReadNs) {
                            throw new BodyTooSlowException(maxReadNs);
                        }
                        read += n;
                        if (read > maxBytes) {
                            throw new BodyTooLargeException(maxBytes);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
