package io.testbed.gateway.download;

public class DownloadNotFoundException extends RuntimeException {
    public DownloadNotFoundException(String id) {
        super("No download '" + id + "'; GET /api/downloads lists them");
    }
}
