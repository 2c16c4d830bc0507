package io.testbed.gateway.experiment;

/** An experiment that cannot be run as asked; the message says what to change. Answered with 400. */
public class InvalidExperimentException extends RuntimeException {

    private final String field;

    public InvalidExperimentException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
