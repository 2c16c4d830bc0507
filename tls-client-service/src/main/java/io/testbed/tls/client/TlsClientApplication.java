package io.testbed.tls.client;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TlsClientApplication {
    public static void main(String[] args) {
        SpringApplication.run(TlsClientApplication.class, args);
    }
}
