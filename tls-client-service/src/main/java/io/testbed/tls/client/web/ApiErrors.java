package io.testbed.tls.client.web;

import io.testbed.tls.client.download.DownloadsBusyException;
import io.testbed.tls.client.download.InvalidDownloadException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.net.URI;

/**
 * RFC 9457 problem details for this API's own errors (the table is in the module README);
 * malformed JSON and other framework errors get Spring's problem details
 * ({@code spring.mvc.problemdetails.enabled}).
 */
@RestControllerAdvice
public class ApiErrors {

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
}
