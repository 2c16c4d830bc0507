package io.testbed.web.tomcat;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link HeaderDeadline} on a management port of its own (git-http-server's 8083): Spring Boot serves it from a
 * child context that takes only its own Tomcat customizers from the parent, so the main connector's protocol class
 * does not reach it. Registered for every child management context (META-INF/spring); a service whose management
 * port is its main one has no child context and is not affected.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementHeaderDeadline {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> managementHeaderDeadlineProtocol(Environment environment) {
        return HeaderDeadline.customizer(environment, HeaderDeadline.Protocol.class);
    }
}
