package io.testbed.git.server.http;

import io.testbed.git.server.metrics.GitServerMetrics;
import io.testbed.git.server.repo.RepoRegistry;
import io.testbed.web.security.TokenSecurity;
import jakarta.servlet.DispatcherType;
import org.eclipse.jgit.http.server.GitServlet;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.RegexRequestMatcher;

/**
 * Registers JGit's smart HTTP servlet: fetch and clone only (receive-pack and the dumb protocol are
 * off), for the repositories of the {@link RepoRegistry}. Responses larger than JGit's 32 KiB buffer,
 * that is every pack, are sent with chunked transfer encoding and without gzip.
 */
@Configuration(proxyBeanMethods = false)
public class GitHttpConfiguration {

    /**
     * Where the servlet is mapped. Clients use {@code /<name>.git/...}, which
     * {@link RepoPathForwardFilter} forwards here; {@code /git/<name>.git/...} works too.
     */
    static final String SERVLET_PREFIX = "/git";

    @Bean
    ServletRegistrationBean<GitServlet> gitServlet(RepoRegistry registry, GitServerMetrics metrics) {
        GitServlet servlet = new GitServlet();
        servlet.setRepositoryResolver(new RegistryRepositoryResolver(registry));
        servlet.setUploadPackFactory(new MeteredUploadPackFactory(metrics));
        servlet.addUploadPackFilter(new UploadPackOutcomeFilter(metrics));
        servlet.setReceivePackFactory(null); // null disables receive-pack: no pushes
        servlet.setAsIsFileService(null); // null disables the dumb protocol
        ServletRegistrationBean<GitServlet> registration = new ServletRegistrationBean<>(servlet, SERVLET_PREFIX + "/*");
        registration.setName("gitServlet");
        registration.setLoadOnStartup(1);
        return registration;
    }

    /**
     * Git fetches ({@code POST /<name>.git/git-upload-pack}) need no token even beyond loopback (issue 16, item 5):
     * simulated machines send them, and they create nothing. Used only when {@link TokenSecurity} is installed.
     */
    @Bean
    TokenSecurity.OpenWrites gitFetches() {
        return new TokenSecurity.OpenWrites(RegexRequestMatcher.regexMatcher(HttpMethod.POST, "^/[^/]+\\.git/git-upload-pack$"));
    }

    /** Every body, the API's and git's, within testbed.http.max-body-read-time: wraps the request before the forward. */
    @Bean
    FilterRegistrationBean<BodyDeadline> bodyDeadline(
            @org.springframework.beans.factory.annotation.Value("${testbed.http.max-body-read-time:20s}") java.time.Duration maxReadTime) {
        FilterRegistrationBean<BodyDeadline> registration = new FilterRegistrationBean<>(new BodyDeadline(maxReadTime));
        registration.addUrlPatterns("/*");
        registration.setName("bodyDeadline");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 200);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RepoPathForwardFilter> repoPathForwardFilter() {
        FilterRegistrationBean<RepoPathForwardFilter> registration =
                new FilterRegistrationBean<>(new RepoPathForwardFilter(SERVLET_PREFIX));
        registration.addUrlPatterns("/*");
        registration.setName("repoPathForwardFilter");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        // After Spring's own filters (encoding, request context, observation), before the dispatcher.
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
        return registration;
    }
}
