package io.testbed.web.tomcat;

import org.apache.coyote.Processor;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.Http11NioProtocol;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Duration;

/**
 * Issue 16, item 3: a request line and its headers must arrive within {@code testbed.http.max-header-time}
 * in all, however they trickle. Tomcat alone bounds only the wait for each read
 * ({@code server.tomcat.connection-timeout}): a client sending one header byte a second kept a connection
 * for as long as it liked. {@link Protocol} is Tomcat's NIO HTTP/1.1 protocol carrying {@link ConnectionDeadlines}:
 * the header bound, on a TLS connector the handshake's ({@code testbed.http.max-handshake-time}, 10 s), and the
 * socket write timeout {@code testbed.http.write-timeout} when that is given (Tomcat uses its one
 * connection-timeout for both directions, and git-http-server's clients, simulated machines, may read a pack for
 * minutes while their reads and headers must not take that long).
 * <p>
 * A service imports this configuration; one whose connector needs another protocol class (git-http-server's
 * marking protocol) declares its own bean with {@link #customizer(Environment, Class)} instead.
 * {@link ManagementHeaderDeadline} does the same for a management port of its own.
 */
@Configuration(proxyBeanMethods = false)
public class HeaderDeadline {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> headerDeadlineProtocol(Environment environment) {
        return customizer(environment, Protocol.class);
    }

    /**
     * Sets {@code protocol} as the connector's protocol class and hands it the bounds from {@code environment}.
     *
     * @param protocol a protocol carrying {@link ConnectionDeadlines} (Tomcat creates it by its class name)
     */
    public static <P extends ProtocolHandler & ConnectionDeadlines.Bounded> WebServerFactoryCustomizer<TomcatServletWebServerFactory>
            customizer(Environment environment, Class<P> protocol) {
        Duration header = environment.getProperty("testbed.http.max-header-time", Duration.class, Duration.ofSeconds(10));
        Duration handshake = environment.getProperty("testbed.http.max-handshake-time", Duration.class, Duration.ofSeconds(10));
        Duration write = environment.getProperty("testbed.http.write-timeout", Duration.class, Duration.ZERO);
        return factory -> {
            factory.setProtocol(protocol.getName());
            factory.addProtocolHandlerCustomizers((TomcatProtocolHandlerCustomizer<ProtocolHandler>) handler -> {
                if (handler instanceof ConnectionDeadlines.Bounded bounded) {
                    ConnectionDeadlines deadlines = bounded.deadlines();
                    deadlines.setMaxHeaderTime(header.toMillis());
                    deadlines.setMaxHandshakeTime(handshake.toMillis());
                    deadlines.setWriteTimeout(write.toMillis());
                }
            });
        };
    }

    /** Tomcat's NIO HTTP/1.1 protocol with a bound on the whole of a request's line and headers (and handshake). */
    public static class Protocol extends Http11NioProtocol implements ConnectionDeadlines.Bounded {

        public Protocol() {
            super(new DeadlineNioEndpoint());
        }

        @Override
        public ConnectionDeadlines deadlines() {
            return ((DeadlineNioEndpoint) getEndpoint()).deadlines();
        }

        @Override
        protected Processor createProcessor() {
            return deadlines().processor(this, getAdapter());
        }
    }
}
