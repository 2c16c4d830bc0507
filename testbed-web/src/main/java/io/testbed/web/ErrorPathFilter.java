package io.testbed.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code /error} is Spring Boot's internal error page, reached by an error dispatch. Asked for directly
 * it answered 500 with status 999; a direct request now gets 404 like any path that is not an API.
 * Error dispatches (which this filter does not see) keep working. Every service imports it.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ErrorPathFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/error") || path.startsWith("/error/") || path.startsWith("/error;")) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                    + "\"detail\":\"No endpoint /error: it is the server's internal error page\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}
