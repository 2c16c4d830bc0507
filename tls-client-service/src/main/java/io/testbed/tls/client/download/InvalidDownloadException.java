package io.testbed.tls.client.download;

/** A download request that cannot be run as given; the message says which field and what is allowed. */
public class InvalidDownloadException extends RuntimeException {
    private final String field;

    public InvalidDownloadException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
