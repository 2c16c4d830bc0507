package io.testbed.gateway.download;

/** A download request that is well-formed but asks for something that does not exist. */
public class InvalidDownloadException extends RuntimeException {

    private final String field;

    public InvalidDownloadException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault. */
    public String field() {
        return field;
    }
}
