package io.testbed.git.server.repo;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where repositories live and which ones exist from the start.
 *
 * @param reposDir        directory of the bare repositories {@code <name>.git}; relative paths resolve
 *                        against the working directory
 * @param repositories    generated (or reused) at start; each {@code name}, {@code name:sizeBytes} or
 *                        {@code name:sizeBytes:seed}, a missing size implied by a {@code pack-<n>k|m} name
 * @param seed            seed for entries that do not give one, and for {@code POST /api/repos} without one
 * @param maxRepositories upper bound on repositories served (defaults, found on disk and created), which
 *                        also bounds the {@code repo} tag of the metrics
 */
@ConfigurationProperties("testbed.git")
public record GitProperties(
        @DefaultValue("data/repos") Path reposDir,
        @DefaultValue({"pack-256k", "pack-1m", "pack-4m"}) List<String> repositories,
        @DefaultValue("1") long seed,
        @DefaultValue("16") int maxRepositories) {

    public GitProperties {
        repositories = repositories == null ? List.of() : List.copyOf(repositories);
        if (maxRepositories < 1) {
            throw new IllegalArgumentException("testbed.git.max-repositories must be at least 1");
        }
    }
}
