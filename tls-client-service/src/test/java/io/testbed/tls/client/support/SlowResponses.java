package io.testbed.tls.client.support;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.io.IOException;

/**
 * Slows the git server down where it hurts: every {@code git-upload-pack} answer (the pack) is flushed
 * and paused {@link #PAUSE_MS} ms after each {@link #EVERY_BYTES} bytes, as a server that is still
 * generating its pack. Longer than kernel-sim's default {@code upstream.quiet_ms} (100 ms): a quiet
 * window takes the pause for the end of the answer.
 */
@Configuration(proxyBeanMethods = false)
public class SlowResponses {
    public static final long PAUSE_MS = 300;
    public static final long EVERY_BYTES = 64 * 1024;

    @Bean
    FilterRegistrationBean<Filter> slowUploadPack() {
        FilterRegistrationBean<Filter> bean = new FilterRegistrationBean<>((request, response, chain) -> pause(
                (HttpServletRequest) request, (HttpServletResponse) response, chain));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        bean.addUrlPatterns("/*");
        return bean;
    }

    private static void pause(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!request.getRequestURI().endsWith("/git-upload-pack")) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            private ServletOutputStream out;

            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                if (out == null) {
                    out = new Pausing(super.getOutputStream());
                }
                return out;
            }
        });
    }

    private static final class Pausing extends ServletOutputStream {
        private final ServletOutputStream out;
        private long written;

        Pausing(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            step(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = (int) Math.min(len, EVERY_BYTES - written % EVERY_BYTES);
                out.write(b, off, n);
                off += n;
                len -= n;
                step(n);
            }
        }

        private void step(int n) throws IOException {
            written += n;
            if (written % EVERY_BYTES == 0) {
                out.flush();
                try {
                    Thread.sleep(PAUSE_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while pausing", e);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
