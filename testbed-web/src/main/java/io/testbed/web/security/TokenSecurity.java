package io.testbed.web.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Issue 16, item 5: when a service binds beyond loopback, every request but a read (GET, HEAD, OPTIONS) or one
 * of the service's {@link OpenWrites} needs {@code Authorization: Bearer <testbed.security.token>}; without it,
 * or with another token, the answer is 401 problem details. Reads, and so {@code /actuator/health}, stay open.
 * Opened without a token the service refuses to start, unless {@code testbed.security.allow-anonymous=true}.
 * Messages name the service by {@code spring.application.name}.
 * <p>
 * On loopback (the default, and every test but the ones about this) none of this is installed: Spring
 * Boot's own servlet security auto-configuration is excluded in the application class, so there is no
 * Spring Security filter at all. gateway-service, tls-client-service and git-http-server import it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenProperties.class)
public class TokenSecurity {

    private static final System.Logger LOG = System.getLogger(TokenSecurity.class.getName());

    /**
     * Writes a service leaves open even beyond loopback, as a bean (git-http-server: git fetches,
     * {@code POST /<name>.git/git-upload-pack}, which simulated machines send and which create nothing).
     *
     * @param matchers the requests that need no token, whatever their method
     */
    public record OpenWrites(List<RequestMatcher> matchers) {
        public OpenWrites(RequestMatcher... matchers) {
            this(List.of(matchers));
        }
    }

    static String service(org.springframework.core.env.Environment environment) {
        return environment.getProperty("spring.application.name", "this service");
    }

    /** Opened beyond loopback with anonymous writes allowed: said once at start, loudly. */
    @Bean
    static org.springframework.beans.factory.SmartInitializingSingleton anonymousWarning(org.springframework.core.env.Environment environment) {
        return () -> {
            List<String> opened = TokenProperties.openedBeyondLoopback(environment);
            if (!opened.isEmpty() && environment.getProperty("testbed.security.allow-anonymous", Boolean.class, false)) {
                LOG.log(System.Logger.Level.WARNING, service(environment) + " binds beyond loopback (" + String.join(", ", opened)
                        + ") and testbed.security.allow-anonymous=true: anyone who can reach it may write");
            }
        };
    }

    /** True when bound beyond loopback and anonymous writes are not allowed: then the token is required. */
    static final class Required implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !TokenProperties.openedBeyondLoopback(context.getEnvironment()).isEmpty()
                    && !context.getEnvironment().getProperty("testbed.security.allow-anonymous", Boolean.class, false);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(Required.class)
    @EnableWebSecurity
    static class Enforced {

        @Bean
        SecurityFilterChain tokenFilterChain(HttpSecurity http, TokenProperties properties,
                                             org.springframework.core.env.Environment environment,
                                             org.springframework.beans.factory.ObjectProvider<OpenWrites> openWrites)
                throws Exception {
            String token = properties.resolve();
            if (token == null) {
                throw new IllegalStateException(service(environment) + " binds beyond loopback ("
                        + String.join(", ", TokenProperties.openedBeyondLoopback(environment))
                        + ") and has no bearer token, so anyone who can reach it could write: set testbed.security.token"
                        + " (environment TESTBED_TOKEN) or testbed.security.token-file, bind 127.0.0.1"
                        + " (TESTBED_SERVER_ADDRESS), or set testbed.security.allow-anonymous=true on a trusted network");
            }
            http.csrf(AbstractHttpConfigurer::disable)
                    .formLogin(AbstractHttpConfigurer::disable)
                    .httpBasic(AbstractHttpConfigurer::disable)
                    .logout(AbstractHttpConfigurer::disable)
                    .requestCache(AbstractHttpConfigurer::disable)
                    .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .addFilterBefore(new BearerTokenFilter(token), AuthorizationFilter.class)
                    .exceptionHandling(e -> e.authenticationEntryPoint((request, response, denied) ->
                            unauthorized(request, response, "this service is opened beyond loopback: " + request.getMethod()
                                    + " needs 'Authorization: Bearer <testbed.security.token>'")))
                    .authorizeHttpRequests(a -> {
                        // a forward or an error page serves a request already judged on its way in
                        a.dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR).permitAll()
                                .requestMatchers(HttpMethod.GET).permitAll()
                                .requestMatchers(HttpMethod.HEAD).permitAll()
                                .requestMatchers(HttpMethod.OPTIONS).permitAll();
                        RequestMatcher[] open = openWrites.orderedStream().flatMap(o -> o.matchers().stream())
                                .toArray(RequestMatcher[]::new);
                        if (open.length > 0) {
                            a.requestMatchers(open).permitAll();
                        }
                        a.anyRequest().authenticated();
                    });
            return http.build();
        }
    }

    /** Authenticates a request whose bearer token is the service's; a wrong token is 401 at once. */
    static final class BearerTokenFilter extends OncePerRequestFilter {
        private static final String SCHEME = "Bearer ";
        private final String token;

        BearerTokenFilter(String token) {
            this.token = token;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (header != null) {
                boolean bearer = header.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
                if (!bearer || !TokenProperties.sameToken(header.substring(SCHEME.length()), token)) {
                    unauthorized(request, response, bearer ? "the bearer token is not this service's testbed.security.token"
                            : "the Authorization header is not 'Bearer <token>'");
                    return;
                }
                SecurityContextHolder.getContext().setAuthentication(
                        UsernamePasswordAuthenticationToken.authenticated("testbed-token", null, List.of()));
            }
            chain.doFilter(request, response);
        }
    }

    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"testbed\"");
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                + detail + "\",\"instance\":\"" + request.getRequestURI().replace("\\", "").replace("\"", "") + "\"}");
    }
}
