package io.testbed.tls.client.web;

/** No download with this id is kept (unknown, or older than the last kept results). */
public class DownloadNotFoundException extends RuntimeException {
    public DownloadNotFoundException(String id) {
        super("no download '" + id + "' (this service keeps the latest results only, in memory)");
    }
}
