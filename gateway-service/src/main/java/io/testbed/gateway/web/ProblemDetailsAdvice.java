package io.testbed.gateway.web;

import io.testbed.gateway.common.DependencyUnavailableException;
import io.testbed.gateway.common.TooManyRunningException;
import io.testbed.gateway.download.DownloadNotFoundException;
import io.testbed.gateway.download.InvalidDownloadException;
import io.testbed.gateway.experiment.ExperimentNotFoundException;
import io.testbed.gateway.experiment.ExperimentTooLargeException;
import io.testbed.gateway.experiment.InvalidExperimentException;
import io.testbed.gateway.git.RepoTooLargeException;
import io.testbed.gateway.reproduction.ReproductionNotFoundException;
import io.testbed.gateway.kernel.KernelRejectedException;
import io.testbed.gateway.kernel.UnknownKernelException;
import io.testbed.gateway.tlsclient.TlsClientRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every error as an RFC 9457 problem detail whose {@code detail} says what to change. Extends
 * Spring's handler so framework errors (unsupported media type, unknown route, ...) are problem
 * details too, and rewrites those whose default text is not actionable: bean validation, unreadable
 * JSON, a parameter of the wrong type and an unsupported content type. Where one field is at fault,
 * {@code errors} holds {@code [{"field", "message"}]}.
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

    @ExceptionHandler(io.testbed.gateway.kernel.KernelFullException.class)
    ResponseEntity<ProblemDetail> kernelFull(io.testbed.gateway.kernel.KernelFullException e) {
        log.warn("{}", e.getMessage());
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Kernel full", e.getMessage());
        problem.setProperty("retryAfterSeconds", io.testbed.gateway.kernel.KernelFullException.RETRY_AFTER_SECONDS);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(io.testbed.gateway.kernel.KernelFullException.RETRY_AFTER_SECONDS))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
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

    @ExceptionHandler(RepoTooLargeException.class)
    ProblemDetail repoTooLarge(RepoTooLargeException e) {
        ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "Repository too large", e.getMessage());
        problem.setProperty("repo", e.repo());
        problem.setProperty("sizeBytes", e.sizeBytes());
        problem.setProperty("maxRepoBytes", e.bound());
        problem.setProperty("setting", RepoTooLargeException.SETTING);
        return problem;
    }

    @ExceptionHandler(TooManyRunningException.class)
    ResponseEntity<ProblemDetail> tooManyRunning(TooManyRunningException e) {
        ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, "Too many running", e.getMessage());
        problem.setProperty("bound", e.bound());
        problem.setProperty("setting", e.setting());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @ExceptionHandler(io.testbed.gateway.retention.StillRunningException.class)
    ProblemDetail stillRunning(io.testbed.gateway.retention.StillRunningException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Still running", e.getMessage());
        problem.setProperty("id", e.id());
        problem.setProperty("kind", e.kind());
        problem.setProperty("state", e.state());
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
        List<Map<String, Object>> errors = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(e -> error(r.getMethodParameter().getParameterName(), e.getDefaultMessage()
                                + (r.getArgument() != null ? " (got " + shorten(String.valueOf(r.getArgument())) + ")" : ""))))
                .toList();
        String detail = "Invalid request: " + errors.stream()
                .map(e -> e.get("field") + " " + e.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status,
                                                        WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        String where = ex instanceof MethodArgumentTypeMismatchException m && m.getParameter().hasParameterAnnotation(
                org.springframework.web.bind.annotation.PathVariable.class) ? "Path segment" : "Parameter";
        String message = "cannot take the value '" + shorten(String.valueOf(ex.getValue())) + "': expected " + typeName(ex.getRequiredType());
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", where + " '" + name + "' " + message);
        problem.setProperty("errors", List.of(error(name, message)));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex, HttpHeaders headers,
                                                                     HttpStatusCode status, WebRequest request) {
        String sent = ex.getContentType() != null ? "'" + ex.getContentType() + "'" : "no Content-Type";
        ProblemDetail problem = problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                "The body was sent with " + sent + "; send JSON with 'Content-Type: application/json', e.g. "
                        + example(request));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.UNSUPPORTED_MEDIA_TYPE, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Throwable cause = ex;
        while (cause != null) {
            if (cause instanceof RequestBodyLimitFilter.BodyTooSlowException) {
                ProblemDetail problem = problem(HttpStatus.REQUEST_TIMEOUT, "Request Timeout", cause.getMessage());
                HttpHeaders close = new HttpHeaders();
                close.putAll(headers);
                close.set(HttpHeaders.CONNECTION, "close");
                return handleExceptionInternal(ex, problem, close, HttpStatus.REQUEST_TIMEOUT, request);
            }
            if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException) {
                ProblemDetail problem = problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", cause.getMessage());
                return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
            cause = cause.getCause();
        }
        Map<String, Object> error = new LinkedHashMap<>();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Unreadable request body", unreadable(ex, example(request), error));
        if (!error.isEmpty()) {
            problem.setProperty("errors", List.of(error));
        }
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * What is wrong with a body Jackson could not read, and, when one field is at fault, that field and
     * what it needs in {@code error}.
     */
    private static String unreadable(HttpMessageNotReadableException ex, String example, Map<String, Object> error) {
        JacksonException jackson = find(ex, JacksonException.class);
        if (jackson == null) {
            return "The request needs a JSON body such as " + example;
        }
        String path = path(jackson);
        String message;
        if (jackson instanceof PropertyBindingException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : "; allowed fields here: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            error.putAll(error(path, "is not a field of this request" + known));
            return "Unknown field '" + path + "'" + known;
        }
        boolean syntax = jackson instanceof StreamReadException && !(jackson instanceof InputCoercionException);
        if (path.isEmpty() && jackson instanceof MismatchedInputException) {
            return "The request body must be one JSON object such as " + example + ", not " + jsonKind(jackson.getOriginalMessage());
        }
        if (path.isEmpty() || syntax) {
            String in = path.isEmpty() ? "" : " (in '" + path + "')";
            if (jackson instanceof StreamReadException read && read.getLocation() != null && read.getLocation().getLineNr() > 0) {
                return "Malformed JSON at line " + read.getLocation().getLineNr() + ", column " + read.getLocation().getColumnNr() + in
                        + ": " + plain(read.getOriginalMessage()) + "; send a complete JSON object such as " + example;
            }
            return "Malformed JSON" + in + ": " + plain(jackson.getOriginalMessage()) + "; send a complete JSON object such as " + example;
        }
        if (jackson instanceof InvalidFormatException format) {
            message = "cannot take the value '" + shorten(String.valueOf(format.getValue())) + "': expected " + typeName(format.getTargetType());
        } else if (jackson instanceof MismatchedInputException mismatch) {
            message = "has the wrong type: expected " + typeName(mismatch.getTargetType());
        } else if (jackson.getOriginalMessage() != null && jackson.getOriginalMessage().contains("out of range")) {
            // a number too large for its Java type (InputCoercionException names the type)
            message = "is out of range: " + jackson.getOriginalMessage();
        } else {
            message = "is invalid: " + jackson.getOriginalMessage();
        }
        error.putAll(error(path, message));
        return "Field '" + path + "' " + message;
    }

    /** A minimal valid body for the endpoint the request went to. */
    private static String example(WebRequest request) {
        String uri = request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
        if (uri.startsWith("/api/experiments")) {
            return "{\"repos\":[\"pack-256k\"]}";
        }
        if (uri.startsWith("/api/reproductions")) {
            return "{\"repo\":\"pack-256k\",\"repetitions\":1}";
        }
        return "{\"repo\":\"pack-4m\"}";
    }

    /** Jackson's message without its note on where the input came from (always REDACTED here). */
    private static String plain(String jacksonMessage) {
        if (jacksonMessage == null) {
            return "";
        }
        int source = jacksonMessage.indexOf(" (start marker at [Source:");
        return source >= 0 ? jacksonMessage.substring(0, source) : jacksonMessage;
    }

    private static String jsonKind(String jacksonMessage) {
        String m = jacksonMessage == null ? "" : jacksonMessage;
        if (m.contains("from Array value")) {
            return "an array";
        }
        if (m.contains("from String value")) {
            return "a string";
        }
        if (m.contains("from Integer value") || m.contains("from Floating-point value") || m.contains("from Number value")) {
            return "a number";
        }
        if (m.contains("from Boolean value")) {
            return "true or false";
        }
        return "another JSON value";
    }

    private static Map<String, Object> error(String field, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        return error;
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
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
        Class<?> t = boxed(type);
        if (t == Integer.class || t == Long.class || t == Short.class || t == Byte.class
                || t == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(t)) {
            return "a number";
        }
        if (t == String.class) {
            return "a string";
        }
        if (t == Boolean.class) {
            return "true or false";
        }
        if (Map.class.isAssignableFrom(t)) {
            return "an object of string values";
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "an array";
        }
        return "a JSON object";
    }

    private static Class<?> boxed(Class<?> type) {
        if (type == null || !type.isPrimitive()) {
            return type == null ? Object.class : type;
        }
        return type == int.class ? Integer.class : type == long.class ? Long.class : type == boolean.class ? Boolean.class
                : type == double.class ? Double.class : type == float.class ? Float.class : type == short.class ? Short.class
                : type == byte.class ? Byte.class : Character.class;
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
