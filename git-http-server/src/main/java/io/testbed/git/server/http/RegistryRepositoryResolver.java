package io.testbed.git.server.http;

import io.testbed.git.server.repo.RepoRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.resolver.RepositoryResolver;

/**
 * Resolves {@code <name>.git} to a served repository; every other name, including a bare
 * {@code <name>} and a path with slashes, is not found (JGit answers 404). The resolved name is left
 * in {@link #REPO_ATTRIBUTE} for the metrics.
 */
final class RegistryRepositoryResolver implements RepositoryResolver<HttpServletRequest> {

    static final String REPO_ATTRIBUTE = RegistryRepositoryResolver.class.getName() + ".repo";
    private static final String SUFFIX = ".git";

    private final RepoRegistry registry;

    RegistryRepositoryResolver(RepoRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Repository open(HttpServletRequest request, String name) throws RepositoryNotFoundException {
        if (!name.endsWith(SUFFIX)) {
            throw new RepositoryNotFoundException(name);
        }
        String repo = name.substring(0, name.length() - SUFFIX.length());
        Repository repository = registry.open(repo).orElseThrow(() -> new RepositoryNotFoundException(name));
        request.setAttribute(REPO_ATTRIBUTE, repo);
        return repository;
    }
}
