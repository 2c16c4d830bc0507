package io.testbed.gateway.download;

public class DownloadNotFoundException extends RuntimeException {
    public DownloadNotFoundException(String id) {
        super("No download '" + id + "' (the gateway keeps the most recent ones in memory until it restarts);"
                + " GET /api/downloads lists them");
    }
}
