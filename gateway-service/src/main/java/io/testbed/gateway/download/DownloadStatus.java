package io.testbed.gateway.download;

import java.util.Locale;

public enum DownloadStatus {
    RUNNING, SUCCEEDED, FAILED;

    /** The lowercase name used in the REST API and as the metrics' {@code outcome} tag. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
