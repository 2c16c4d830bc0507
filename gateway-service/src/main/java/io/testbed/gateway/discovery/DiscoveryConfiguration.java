package io.testbed.gateway.discovery;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The DNS resolver discovery uses, unless a test provides its own {@link AddressResolver}. */
@Configuration(proxyBeanMethods = false)
public class DiscoveryConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AddressResolver addressResolver() {
        return AddressResolver.dns();
    }
}
