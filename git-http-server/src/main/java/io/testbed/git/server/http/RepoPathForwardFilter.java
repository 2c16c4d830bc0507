package io.testbed.git.server.http;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends {@code /<name>.git} and everything below it to the git servlet. A servlet mapping cannot
 * express "any first path segment ending in .git", and the dispatcher servlet must keep {@code /} for
 * the API and error pages, so this filter forwards such requests to the git servlet's internal prefix;
 * they never reach Spring MVC.
 */
final class RepoPathForwardFilter extends OncePerRequestFilter {

    private static final Pattern REPO_PATH = Pattern.compile("^/[^/]+\\.git(/.*)?$");

    private final String servletPrefix;

    RepoPathForwardFilter(String servletPrefix) {
        this.servletPrefix = servletPrefix;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!REPO_PATH.matcher(path).matches()) {
            chain.doFilter(request, response);
            return;
        }
        // The query string (?service=git-upload-pack) stays visible to the target of a forward.
        request.getRequestDispatcher(servletPrefix + path).forward(request, response);
    }
}
