package io.testbed.git.server.api;

/**
 * Body of {@code POST /api/repos}. {@code sizeBytes} may be omitted for names of the form
 * {@code pack-<n>k|m}; {@code seed} defaults to {@code testbed.git.seed}.
 */
public record CreateRepoRequest(String name, Long sizeBytes, Long seed) {
}
