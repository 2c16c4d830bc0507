package io.testbed.git.server.repo;

/**
 * A generated repository as it exists on disk.
 *
 * @param spec      what it was generated from
 * @param head      the commit {@code refs/heads/main} (and {@code HEAD}) points to
 * @param objects   number of objects in its single pack
 * @param packBytes size of that pack file; a full clone receives about this many pack bytes
 */
public record RepoInfo(RepoSpec spec, String head, long objects, long packBytes) {
}
