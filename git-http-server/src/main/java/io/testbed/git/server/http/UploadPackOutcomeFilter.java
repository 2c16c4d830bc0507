package io.testbed.git.server.http;

import java.io.IOException;

import io.testbed.git.server.metrics.GitServerMetrics;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Counts {@code POST .../git-upload-pack} requests by repository and outcome. JGit also runs
 * upload-pack filters for the ref advertisement ({@code GET info/refs}); those are not counted.
 */
final class UploadPackOutcomeFilter implements Filter {

    private final GitServerMetrics metrics;

    UploadPackOutcomeFilter(GitServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (!"POST".equals(http.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String repo = (String) http.getAttribute(RegistryRepositoryResolver.REPO_ATTRIBUTE);
        boolean ok = false;
        try {
            chain.doFilter(request, response);
            ok = ((HttpServletResponse) response).getStatus() < 400;
        } finally {
            metrics.uploadPackRequest(repo, ok);
        }
    }
}
