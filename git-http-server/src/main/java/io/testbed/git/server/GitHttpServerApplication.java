package io.testbed.git.server;

import io.testbed.web.ErrorPathFilter;
import io.testbed.web.security.TokenSecurity;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Import;

// no Spring Security unless testbed-web's TokenSecurity installs it (opened beyond loopback): Boot's defaults would
// lock every endpoint behind a generated password
@SpringBootApplication(exclude = {ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
// its own http.HeaderDeadline: the marking connector's protocol carries testbed-web's bounds
@Import({ErrorPathFilter.class, TokenSecurity.class})
public class GitHttpServerApplication {
    public static void main(String[] args) {
        SpringApplication.run(GitHttpServerApplication.class, args);
    }
}
