package io.testbed.gateway.web;

/**
 * The shape of an id in a path ({@code dl-}, {@code ex-} or {@code rp-} and 16 hex digits, or a chart's
 * name): anything else is refused with 400 before a lookup, so a path never carries other characters
 * into a query or a log line.
 */
final class ApiIds {

    static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    static final String ID_MESSAGE = "must be an id such as dl-0123456789abcdef: up to 64 letters, digits, '.', '_' and '-'";

    private ApiIds() {
    }
}
