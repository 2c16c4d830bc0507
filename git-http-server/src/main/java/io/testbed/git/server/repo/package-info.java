/**
 * Repositories generated deterministically from (name, size, seed).
 * <p>
 * {@link io.testbed.git.server.repo.RepoSpec} is the validated triple (and the {@code pack-<n>k|m}
 * naming that implies a size); {@link io.testbed.git.server.repo.RepoGenerator} turns a spec into a
 * bare repository with one pack, drawing file content from {@link io.testbed.git.server.repo.SplitMix64};
 * {@link io.testbed.git.server.repo.RepoInfo} is what a generated repository turned out to be, kept in
 * its marker file. {@link io.testbed.git.server.repo.RepoRegistry} owns {@code testbed.git.repos-dir}:
 * it generates the configured defaults at start, reuses valid ones, creates more on request and
 * hands open {@link org.eclipse.jgit.lib.Repository} instances to the HTTP layer.
 * {@link io.testbed.git.server.repo.RepoConfiguration} builds it from
 * {@link io.testbed.git.server.repo.GitProperties}; they are the only classes here that know Spring.
 */
package io.testbed.git.server.repo;
