package io.testbed.git.server.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;

/**
 * Issue 16, item 3: a request body must arrive within {@code testbed.http.max-body-read-time} in all (each
 * read already waits at most {@code server.tomcat.connection-timeout}); a read after that throws
 * {@link BodyTooSlowException}, which the API answers with 408 and a git fetch with its own error, and since
 * Tomcat does not swallow the rest ({@code max-swallow-size: 0}) the connection closes. This is what frees a
 * thread from a never-ending chunked body. The gateway's {@code RequestBodyLimitFilter} and tls-client's
 * {@code BodySizeLimit} do the same (copied: there is no shared web module).
 */
public final class BodyDeadline extends OncePerRequestFilter {

    private final long maxReadNs;

    public BodyDeadline(Duration maxReadTime) {
        this.maxReadNs = maxReadTime.toNanos();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new Bounded(request, maxReadNs), response);
    }

    /** Thrown by a read of a body that has taken longer than {@code testbed.http.max-body-read-time}. */
    public static final class BodyTooSlowException extends IOException {
        BodyTooSlowException(long maxReadNs) {
            super("the request body was still arriving after " + maxReadNs / 1_000_000
                    + " ms (testbed.http.max-body-read-time); send the whole body at once");
        }
    }

    private static final class Bounded extends HttpServletRequestWrapper {
        private final long maxReadNs;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long maxReadNs) {
            super(request);
            this.maxReadNs = maxReadNs;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                long started = System.nanoTime();
                stream = new ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        onTime();
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        onTime();
                        return n;
                    }

                    private void onTime() throws IOException {
                        if (System.nanoTime() - started > maxReadNs) {
                            throw new BodyTooSlowException(maxReadNs);
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
