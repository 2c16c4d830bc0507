package io.testbed.git.server.marks;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the HTTPS connector's {@link MarkingHttp11NioProtocol} (set by {@code http.HeaderDeadline}) its board and
 * serves the {@link MarkFeedServer}
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
        // the connector's protocol class is HeaderDeadline.Protocol, a MarkingHttp11NioProtocol (issue 16's header bound
        // and these marks on one class): only the board is handed over here
        return factory -> {
            factory.addProtocolHandlerCustomizers(handler -> {
                if (handler instanceof MarkingHttp11NioProtocol marking) {
                    marking.board(board);
                }
            });
        };
    }
}
