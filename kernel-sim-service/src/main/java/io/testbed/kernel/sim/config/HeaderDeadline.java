package io.testbed.kernel.sim.config;

import org.apache.coyote.Adapter;
import org.apache.coyote.Processor;
import org.apache.coyote.RequestInfo;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Issue 16, item 3: a request line and its headers must arrive within {@code testbed.http.max-header-time}
 * in all, however they trickle. Tomcat alone bounds only the wait for each read
 * ({@code server.tomcat.connection-timeout}): a client sending one header byte a second kept a connection
 * for as long as it liked. {@link Protocol} is Tomcat's NIO HTTP/1.1 protocol whose processor, each time
 * it stops for want of more header bytes, measures the time since the request's first byte; past the
 * bound it closes the connection, before it shortens the next read's wait to what is left.
 * <p>
 * It also sets the socket write timeout to {@code testbed.http.write-timeout} when that is given: Tomcat
 * uses its one connection-timeout for both directions, and git-http-server's clients (simulated machines)
 * may read a pack for minutes while their reads and headers must not take that long.
 * <p>
 * Copied in each service (gateway, tls-client, kernel-sim, git-http-server): there is no shared web module.
 */
@Configuration(proxyBeanMethods = false)
public class HeaderDeadline {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> headerDeadlineProtocol(Environment environment) {
        Duration header = environment.getProperty("testbed.http.max-header-time", Duration.class, Duration.ofSeconds(10));
        Duration write = environment.getProperty("testbed.http.write-timeout", Duration.class, Duration.ZERO);
        return factory -> {
            factory.setProtocol(Protocol.class.getName());
            factory.addProtocolHandlerCustomizers((TomcatProtocolHandlerCustomizer<org.apache.coyote.ProtocolHandler>) handler -> {
                if (handler instanceof Protocol protocol) {
                    protocol.setMaxHeaderTime(header.toMillis());
                    protocol.setWriteTimeout(write.toMillis());
                }
            });
        };
    }

    /** Tomcat's NIO HTTP/1.1 protocol with a bound on the whole of a request's line and headers. */
    public static class Protocol extends Http11NioProtocol {
        private volatile long maxHeaderNanos = TimeUnit.SECONDS.toNanos(10);
        private volatile long writeTimeoutMs;
        /** A connection's request that has begun and not yet been dispatched -> when its first byte came. */
        private final Map<SocketWrapperBase<?>, Long> started = Collections.synchronizedMap(new WeakHashMap<>());

        public void setMaxHeaderTime(long millis) {
            this.maxHeaderNanos = TimeUnit.MILLISECONDS.toNanos(millis);
        }

        public long getMaxHeaderTime() {
            return TimeUnit.NANOSECONDS.toMillis(maxHeaderNanos);
        }

        /** The socket write timeout, ms; 0 leaves Tomcat's (the connection-timeout). */
        public void setWriteTimeout(long millis) {
            this.writeTimeoutMs = millis;
        }

        public long getWriteTimeout() {
            return writeTimeoutMs;
        }

        @Override
        protected Processor createProcessor() {
            return new BoundedProcessor(this, getAdapter());
        }

        private final class BoundedProcessor extends Http11Processor {
            BoundedProcessor(AbstractHttp11Protocol<?> protocol, Adapter adapter) {
                super(protocol, adapter);
            }

            @Override
            public SocketState service(SocketWrapperBase<?> socket) throws IOException {
                if (writeTimeoutMs > 0) {
                    socket.setWriteTimeout(writeTimeoutMs);
                }
                if (started.containsKey(socket)) {
                    // the header bytes that woke us are read without waiting; a body read after them waits as Tomcat says
                    socket.setReadTimeout(Math.max(getConnectionTimeout(), 0));
                }
                RequestInfo info = request.getRequestProcessor();
                int completed = info.getRequestCount();
                SocketState state = super.service(socket);
                if (info.getRequestCount() != completed) {
                    // a request went through: a later one has its own bound
                    started.remove(socket);
                }
                // parked for want of header bytes: a request line begun (LONG), or only blank lines read so far (OPEN)
                boolean waitingForHeaders = (state == SocketState.LONG || state == SocketState.OPEN) && !isAsync()
                        && request.getStartTimeNanos() != -1;
                if (!waitingForHeaders) {
                    started.remove(socket);
                    return state;
                }
                long first = started.computeIfAbsent(socket, s -> request.getStartTimeNanos());
                long leftMs = TimeUnit.NANOSECONDS.toMillis(first + maxHeaderNanos - System.nanoTime());
                if (leftMs <= 0) {
                    started.remove(socket);
                    return SocketState.CLOSED;
                }
                long idle = getConnectionTimeout();
                socket.setReadTimeout(idle > 0 ? Math.min(idle, leftMs) : leftMs);
                return state;
            }
        }
    }
}
