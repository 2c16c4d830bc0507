package io.testbed.gateway.reproduction;

public class ReproductionNotFoundException extends RuntimeException {
    public ReproductionNotFoundException(String what) {
        super(what);
    }
}
