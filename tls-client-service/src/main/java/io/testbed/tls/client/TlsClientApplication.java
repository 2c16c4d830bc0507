package io.testbed.tls.client;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The tls-client service: real TLS clients fetching git packs through a kernel's syscalls. */
// no Spring Security unless security.TokenSecurity installs it (opened beyond loopback): Boot's defaults would
// lock every endpoint behind a generated password
@SpringBootApplication(exclude = {ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
@ConfigurationPropertiesScan
public class TlsClientApplication {
    public static void main(String[] args) {
        SpringApplication.run(TlsClientApplication.class, args);
    }
}
