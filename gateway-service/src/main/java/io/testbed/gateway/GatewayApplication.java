package io.testbed.gateway;

import io.testbed.web.ErrorPathFilter;
import io.testbed.web.security.TokenSecurity;
import io.testbed.web.tomcat.HeaderDeadline;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

// no Spring Security unless testbed-web's TokenSecurity installs it (opened beyond loopback): Boot's defaults would
// lock every endpoint behind a generated password
@SpringBootApplication(exclude = {ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
@ConfigurationPropertiesScan
@Import({HeaderDeadline.class, ErrorPathFilter.class, TokenSecurity.class})
public class GatewayApplication {
    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
