package io.testbed.webtest;

import io.testbed.web.ErrorPathFilter;
import io.testbed.web.security.TokenSecurity;
import io.testbed.web.tomcat.HeaderDeadline;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.RegexRequestMatcher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A service as the four import testbed-web: the bounds, the /error filter and the token, with one open write. */
@SpringBootApplication(exclude = {ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
@Import({HeaderDeadline.class, ErrorPathFilter.class, TokenSecurity.class})
public class WebTestApp {

    @Bean
    TokenSecurity.OpenWrites openPing() {
        return new TokenSecurity.OpenWrites(RegexRequestMatcher.regexMatcher(HttpMethod.POST, "^/open$"));
    }

    @RestController
    static class Endpoints {
        @GetMapping("/thing")
        String read() {
            return "read";
        }

        @PostMapping("/thing")
        String write() {
            return "written";
        }

        @PostMapping("/open")
        String open() {
            return "open";
        }
    }
}
