package io.testbed.git.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;

// no Spring Security unless security.TokenSecurity installs it (opened beyond loopback): Boot's defaults would
// lock every endpoint behind a generated password
@SpringBootApplication(exclude = {ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
public class GitHttpServerApplication {
    public static void main(String[] args) {
        SpringApplication.run(GitHttpServerApplication.class, args);
    }
}
