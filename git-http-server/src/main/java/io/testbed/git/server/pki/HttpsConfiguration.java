package io.testbed.git.server.pki;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Makes the main connector HTTPS with the testbed's own server certificate.
 * <p>
 * The PKI is prepared when the web server factory is customised, that is before any connector
 * starts, and after every property source (including a test's {@code @DynamicPropertySource}) is in
 * place. Explicit {@code server.ssl.*} settings win: if any are present this customiser stays out of
 * the way. The management server is a separate child context and stays plain HTTP.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PkiProperties.class)
public class HttpsConfiguration {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    @Bean
    TestbedPki testbedPki(PkiProperties properties) {
        return new TestbedPki(properties);
    }

    @Bean
    TestbedPki.Material testbedPkiMaterial(TestbedPki pki) {
        return pki.ensure();
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> testbedHttpsCustomizer(
            ObjectProvider<TestbedPki.Material> material, ObjectProvider<ServerProperties> serverProperties) {
        return new TestbedHttpsCustomizer(material, serverProperties);
    }

    private record TestbedHttpsCustomizer(ObjectProvider<TestbedPki.Material> material,
            ObjectProvider<ServerProperties> serverProperties)
            implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableServletWebServerFactory factory) {
            ServerProperties server = serverProperties.getIfAvailable();
            if (server != null && server.getSsl() != null) {
                return;
            }
            TestbedPki.Material pki = material.getObject();
            Ssl ssl = new Ssl();
            ssl.setCertificate(pki.serverCertificateFile().toUri().toString());
            ssl.setCertificatePrivateKey(pki.serverKeyFile().toUri().toString());
            ssl.setEnabledProtocols(PROTOCOLS.clone());
            factory.setSsl(ssl);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
