package io.testbed.tls.client;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The tls-client service: real TLS clients fetching git packs through a kernel's syscalls. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TlsClientApplication {
    public static void main(String[] args) {
        SpringApplication.run(TlsClientApplication.class, args);
    }
}
