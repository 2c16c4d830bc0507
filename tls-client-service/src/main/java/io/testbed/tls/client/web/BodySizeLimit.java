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
 * there, which {@link ApiErrors} answers the same way. A download request is well under 1 KiB.
 */
@Component
public class BodySizeLimit extends OncePerRequestFilter {
    public static final int MAX_BODY_BYTES = 64 * 1024;

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
        chain.doFilter(new Limited(request), response);
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

    /** Thrown by the limited body stream past the bound. */
    static final class TooLargeException extends IOException {
        TooLargeException() {
            super(detail());
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private ServletInputStream in;

        Limited(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                ServletInputStream raw = super.getInputStream();
                in = new ServletInputStream() {
                    long count;

                    @Override
                    public int read() throws IOException {
                        int b = raw.read();
                        if (b >= 0 && ++count > MAX_BODY_BYTES) {
                            throw new TooLargeException();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = raw.read(b, off, len);
                        if (n > 0 && (count += n) > MAX_BODY_BYTES) {
                            throw new TooLargeException();
                        }
                        return n;
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
