package io.testbed.gateway.git;

/**
 * A download, experiment or reproduction asks for a repository larger than
 * {@code testbed.downloads.max-repo-bytes}. Answered with 413.
 */
public class RepoTooLargeException extends RuntimeException {

    /** The setting that holds the bound. */
    public static final String SETTING = "testbed.downloads.max-repo-bytes";

    private final String repo;
    private final long sizeBytes;
    private final long bound;

    public RepoTooLargeException(String repo, long sizeBytes, long bound) {
        super("Repository '" + repo + "' is " + sizeBytes + " bytes, over the gateway's bound of " + bound + " bytes ("
                + SETTING + "); pick a smaller repository (GET /api/repos lists them with their sizes) or raise the setting");
        this.repo = repo;
        this.sizeBytes = sizeBytes;
        this.bound = bound;
    }

    public String repo() {
        return repo;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public long bound() {
        return bound;
    }
}
