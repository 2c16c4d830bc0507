package io.testbed.gateway.retention;

/** A delete asked for something still running: answered 409, naming what runs and its state. */
public class StillRunningException extends RuntimeException {

    private final String kind;
    private final String id;
    private final String state;

    public StillRunningException(String kind, String id, String state, String detail) {
        super(detail);
        this.kind = kind;
        this.id = id;
        this.state = state;
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }

    public String state() {
        return state;
    }
}
