package io.testbed.git.server.http;

import io.testbed.git.server.metrics.GitServerMetrics;
import io.testbed.git.server.repo.RepoRegistry;
import jakarta.servlet.DispatcherType;
import org.eclipse.jgit.http.server.GitServlet;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

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
