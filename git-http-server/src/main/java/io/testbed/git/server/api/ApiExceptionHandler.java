package io.testbed.git.server.api;

import java.io.IOException;

import io.testbed.git.server.repo.RepoRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * RFC 9457 problem details for every API error. Spring MVC's own exceptions keep their standard
 * status; an unreadable body gets a detail that shows the expected JSON.
 *
 * <table>
 * <caption>Errors and statuses</caption>
 * <tr><th>error</th><th>status</th></tr>
 * <tr><td>body is not JSON / wrong types</td><td>400</td></tr>
 * <tr><td>body still arriving after {@code testbed.http.max-body-read-time}</td><td>408</td></tr>
 * <tr><td>{@code POST} without the bearer token when opened beyond loopback ({@code TokenSecurity})</td><td>401</td></tr>
 * <tr><td>invalid name, size out of range, size contradicting a pack-&lt;n&gt;k|m name, size missing</td><td>400</td></tr>
 * <tr><td>unknown repository</td><td>404</td></tr>
 * <tr><td>name taken with other parameters</td><td>409</td></tr>
 * <tr><td>{@code testbed.git.max-repositories} reached</td><td>409</td></tr>
 * <tr><td>generation failed (disk full, permissions)</td><td>500</td></tr>
 * </table>
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    static final String EXPECTED_BODY =
            "{\"name\": \"pack-2m\", \"sizeBytes\": 2097152, \"seed\": 1} (sizeBytes optional for pack-<n>k|m names,"
                    + " seed optional)";

    @ExceptionHandler(RepoController.InvalidRepoException.class)
    ProblemDetail invalid(RepoController.InvalidRepoException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid repository", e.getMessage());
    }

    @ExceptionHandler(RepoController.RepoNotFoundException.class)
    ProblemDetail notFound(RepoController.RepoNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Repository not found", e.getMessage());
    }

    @ExceptionHandler(RepoRegistry.ConflictException.class)
    ProblemDetail conflict(RepoRegistry.ConflictException e) {
        return problem(HttpStatus.CONFLICT, "Repository exists with other parameters", e.getMessage());
    }

    @ExceptionHandler(RepoRegistry.LimitException.class)
    ProblemDetail limit(RepoRegistry.LimitException e) {
        return problem(HttpStatus.CONFLICT, "Repository limit reached", e.getMessage());
    }

    @ExceptionHandler(IOException.class)
    ProblemDetail io(IOException e) {
        log.error("Repository generation failed", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Repository generation failed",
                "the server could not write the repository (" + e.getMessage()
                        + "): check free space and permissions of testbed.git.repos-dir");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof io.testbed.git.server.http.BodyDeadline.BodyTooSlowException) {
                // the rest of the body is not read: the connection cannot carry another request
                HttpHeaders close = new HttpHeaders();
                close.set(HttpHeaders.CONNECTION, "close");
                return handleExceptionInternal(ex, problem(HttpStatus.REQUEST_TIMEOUT, "Request body too slow", t.getMessage()),
                        close, HttpStatus.REQUEST_TIMEOUT, request);
            }
        }
        ProblemDetail body = problem(HttpStatus.BAD_REQUEST, "Unreadable request body",
                "the body must be JSON like " + EXPECTED_BODY);
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
