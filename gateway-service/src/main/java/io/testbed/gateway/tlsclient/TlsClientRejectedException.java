package io.testbed.gateway.tlsclient;

/** tls-client-service answered a 4xx; {@code getMessage()} carries its problem detail. */
public class TlsClientRejectedException extends RuntimeException {

    private final int status;

    public TlsClientRejectedException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
