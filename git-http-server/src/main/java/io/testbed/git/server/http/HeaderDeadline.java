package io.testbed.git.server.http;

import io.testbed.git.server.marks.MarkingHttp11NioProtocol;
import io.testbed.web.tomcat.ConnectionDeadlines;
import io.testbed.web.tomcat.DeadlineNioEndpoint;
import org.apache.coyote.Processor;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * testbed-web's {@link io.testbed.web.tomcat.HeaderDeadline} on the HTTPS connector, whose protocol must also be
 * the marking one (issue 19): two customizers each setting a protocol class would leave only one, so {@link Protocol}
 * carries both: the marks ({@link MarkingHttp11NioProtocol}: stock behaviour until
 * {@link io.testbed.git.server.marks.MarksConfiguration} hands it a board), and the header, handshake and write
 * bounds (its endpoint, a {@link DeadlineNioEndpoint}, holds them).
 */
@Configuration(proxyBeanMethods = false)
public class HeaderDeadline {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> headerDeadlineProtocol(Environment environment) {
        return io.testbed.web.tomcat.HeaderDeadline.customizer(environment, Protocol.class);
    }

    /** The marking protocol with testbed-web's bounds on a request's line and headers and on the TLS handshake. */
    public static class Protocol extends MarkingHttp11NioProtocol implements ConnectionDeadlines.Bounded {

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
