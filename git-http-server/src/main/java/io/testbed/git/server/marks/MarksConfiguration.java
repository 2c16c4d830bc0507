package io.testbed.git.server.marks;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts the HTTPS connector on the {@link MarkingHttp11NioProtocol} and serves the {@link MarkFeedServer}
 * ({@code testbed.git.marks.enabled}, on by default).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MarksProperties.class)
@ConditionalOnProperty(prefix = "testbed.git.marks", name = "enabled", havingValue = "true", matchIfMissing = true)
public class MarksConfiguration {

    @Bean
    MarkBoard markBoard() {
        return new MarkBoard();
    }

    @Bean
    MarkFeedServer markFeedServer(MarkBoard board, MarksProperties properties) {
        return new MarkFeedServer(board, properties);
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> markingConnector(MarkBoard board) {
        return factory -> {
            factory.setProtocol(MarkingHttp11NioProtocol.class.getName());
            factory.addProtocolHandlerCustomizers(handler -> {
                if (handler instanceof MarkingHttp11NioProtocol marking) {
                    marking.board(board);
                }
            });
        };
    }
}
