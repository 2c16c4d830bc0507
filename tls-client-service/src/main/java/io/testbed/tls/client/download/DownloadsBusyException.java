package io.testbed.tls.client.download;

/** Every download slot and queue place is taken; try again later. */
public class DownloadsBusyException extends RuntimeException {
    public DownloadsBusyException(String message) {
        super(message);
    }
}
