package io.testbed.gateway.discovery;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The DNS resolver discovery uses (a test replaces it with a {@code @Primary} one of its own). */
@Configuration(proxyBeanMethods = false)
public class DiscoveryConfiguration {

    @Bean
    AddressResolver addressResolver() {
        return AddressResolver.dns();
    }
}
