package io.testbed.tls.client.web;

import io.testbed.tls.client.download.DownloadsBusyException;
import io.testbed.tls.client.download.InvalidDownloadException;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * RFC 9457 problem details for this API's errors (the table is in the module README). A request
 * body that cannot be read says what to fix: the unknown field and the known ones, the field whose
 * value has the wrong type or is out of range, a body over {@link BodySizeLimit#MAX_BODY_BYTES}, or
 * where the JSON is malformed. Spring's other framework errors keep Spring's problem details.
 */
@RestControllerAdvice
public class ApiErrors extends ResponseEntityExceptionHandler {

    @ExceptionHandler(InvalidDownloadException.class)
    public ProblemDetail invalid(InvalidDownloadException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        p.setTitle("Invalid download request");
        p.setType(URI.create("urn:testbed:tls-client:invalid-download"));
        p.setProperty("field", e.field());
        return p;
    }

    @ExceptionHandler(DownloadNotFoundException.class)
    public ProblemDetail notFound(DownloadNotFoundException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        p.setTitle("Download not found");
        p.setType(URI.create("urn:testbed:tls-client:download-not-found"));
        return p;
    }

    @ExceptionHandler(DownloadsBusyException.class)
    public ProblemDetail busy(DownloadsBusyException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        p.setTitle("Too many downloads");
        p.setType(URI.create("urn:testbed:tls-client:busy"));
        return p;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof BodySizeLimit.TooLargeException) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(BodySizeLimit.problem());
            }
            if (t instanceof BodySizeLimit.TooSlowException) {
                ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.REQUEST_TIMEOUT, t.getMessage());
                p.setTitle("Request body too slow");
                p.setType(URI.create("urn:testbed:tls-client:body-too-slow"));
                // the rest of the body is not read: the connection cannot carry another request
                return ResponseEntity.status(HttpStatus.REQUEST_TIMEOUT).header(HttpHeaders.CONNECTION, "close").body(p);
            }
        }
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadable(ex));
        p.setTitle("Unreadable request body");
        p.setType(URI.create("urn:testbed:tls-client:unreadable-body"));
        String field = fieldOf(ex);
        if (field != null) {
            p.setProperty("field", field);
        }
        return ResponseEntity.badRequest().body(p);
    }

    static String unreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            if (u.getKnownPropertyIds() != null) {
                for (Object k : new TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList())) {
                    known.add((String) k);
                }
            }
            return "unknown field '" + path(u) + "'; known fields here: " + known;
        }
        if (cause instanceof JacksonException j) {
            String where = path(j);
            String why = firstLine(j.getOriginalMessage());
            return where.isEmpty() ? "malformed JSON: " + why : "field '" + where + "' has a wrong type or value: " + why;
        }
        return "request body unreadable: " + firstLine(cause.getMessage());
    }

    private static String fieldOf(HttpMessageNotReadableException ex) {
        return ex.getMostSpecificCause() instanceof JacksonException j && !path(j).isEmpty() ? path(j) : null;
    }

    /** policy.sleepMs, tlsVersions[2]. */
    private static String path(JacksonException j) {
        StringBuilder b = new StringBuilder();
        for (JacksonException.Reference r : j.getPath()) {
            if (r.getPropertyName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
