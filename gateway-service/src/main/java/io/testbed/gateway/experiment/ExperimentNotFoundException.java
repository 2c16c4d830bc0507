package io.testbed.gateway.experiment;

public class ExperimentNotFoundException extends RuntimeException {
    public ExperimentNotFoundException(String id) {
        super("No experiment '" + id + "'; GET /api/experiments lists them");
    }
}
