package io.testbed.gateway.web;

import io.testbed.gateway.DependencyUnavailableException;
import io.testbed.gateway.download.DownloadNotFoundException;
import io.testbed.gateway.download.InvalidDownloadException;
import io.testbed.gateway.experiment.ExperimentNotFoundException;
import io.testbed.gateway.experiment.ExperimentTooLargeException;
import io.testbed.gateway.experiment.InvalidExperimentException;
import io.testbed.gateway.reproduction.ReproductionNotFoundException;
import io.testbed.gateway.kernel.KernelRejectedException;
import io.testbed.gateway.kernel.UnknownKernelException;
import io.testbed.gateway.tlsclient.TlsClientRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every error as an RFC 9457 problem detail whose {@code detail} says what to change. Extends
 * Spring's handler so framework errors (unsupported media type, unknown route, ...) are problem
 * details too, and rewrites the two whose default text is not actionable: bean validation and
 * unreadable JSON.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(InvalidDownloadException.class)
    ProblemDetail invalidDownload(InvalidDownloadException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid download request", e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return problem;
    }

    @ExceptionHandler(KernelRejectedException.class)
    ProblemDetail kernelRejected(KernelRejectedException e) {
        return problem(HttpStatus.BAD_REQUEST, "Kernel refused the machine", e.getMessage());
    }

    @ExceptionHandler(UnknownKernelException.class)
    ProblemDetail unknownKernel(UnknownKernelException e) {
        return problem(HttpStatus.BAD_REQUEST, "Unknown kernel", e.getMessage());
    }

    @ExceptionHandler(TlsClientRejectedException.class)
    ProblemDetail tlsClientRejected(TlsClientRejectedException e) {
        return problem(HttpStatus.BAD_REQUEST, "tls-client-service refused the download",
                "tls-client-service answered " + e.status() + ": " + e.getMessage());
    }

    @ExceptionHandler(DownloadNotFoundException.class)
    ProblemDetail notFound(DownloadNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Download not found", e.getMessage());
    }

    @ExceptionHandler(InvalidExperimentException.class)
    ProblemDetail invalidExperiment(InvalidExperimentException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid experiment", e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return problem;
    }

    @ExceptionHandler(ExperimentTooLargeException.class)
    ProblemDetail experimentTooLarge(ExperimentTooLargeException e) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "Experiment too large", e.getMessage());
        problem.setProperty("runs", e.runs());
        problem.setProperty("maxRuns", e.bound());
        problem.setProperty("setting", "testbed.experiments.max-runs");
        return problem;
    }

    @ExceptionHandler(ExperimentNotFoundException.class)
    ProblemDetail experimentNotFound(ExperimentNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Experiment not found", e.getMessage());
    }

    @ExceptionHandler(ReproductionNotFoundException.class)
    ProblemDetail reproductionNotFound(ReproductionNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Reproduction not found", e.getMessage());
    }

    @ExceptionHandler(DependencyUnavailableException.class)
    ProblemDetail unavailable(DependencyUnavailableException e) {
        log.warn("{}", e.getMessage());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, e.dependency() + " unavailable", e.getMessage());
        problem.setProperty("dependency", e.dependency());
        problem.setProperty("target", e.target());
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(ProblemDetailsAdvice::describe)
                .toList();
        String detail = "Invalid request body: " + errors.stream()
                .map(e -> e.get("field") + " " + e.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request body", detail);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = "Invalid request: " + ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(e -> r.getMethodParameter().getParameterName() + " " + e.getDefaultMessage()
                                + (r.getArgument() != null ? " (got " + r.getArgument() + ")" : "")))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Throwable cause = ex;
        while (cause != null) {
            if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException) {
                ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", cause.getMessage());
                return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
            cause = cause.getCause();
        }
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request body", unreadable(ex));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static String unreadable(HttpMessageNotReadableException ex) {
        JacksonException jackson = find(ex, JacksonException.class);
        if (jackson == null) {
            return "The request needs a JSON body such as {\"repo\":\"pack-4m\"}";
        }
        String path = path(jackson);
        if (jackson instanceof PropertyBindingException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : "; allowed fields here: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return "Unknown field '" + path + "'" + known;
        }
        if (jackson instanceof InvalidFormatException format) {
            return "Field '" + path + "' cannot take the value '" + format.getValue() + "': expected "
                    + typeName(format.getTargetType());
        }
        if (jackson instanceof MismatchedInputException mismatch && !path.isEmpty()) {
            return "Field '" + path + "' has the wrong type: expected " + typeName(mismatch.getTargetType());
        }
        if (!path.isEmpty()) {
            return "Field '" + path + "' is invalid: " + jackson.getOriginalMessage();
        }
        if (jackson instanceof StreamReadException read && read.getLocation() != null) {
            return "Malformed JSON at line " + read.getLocation().getLineNr() + ", column " + read.getLocation().getColumnNr()
                    + ": " + read.getOriginalMessage();
        }
        return "Malformed JSON: " + jackson.getOriginalMessage();
    }

    private static Map<String, Object> describe(FieldError error) {
        String message = error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
        Object rejected = error.getRejectedValue();
        if (rejected != null && !(rejected instanceof Map) && String.valueOf(rejected).length() <= 80) {
            message += " (got " + rejected + ")";
        }
        return Map.of("field", error.getField(), "message", message);
    }

    private static String path(JacksonException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object of string values";
        }
        return "a JSON object";
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        while (t != null) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            t = t.getCause();
        }
        return null;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
