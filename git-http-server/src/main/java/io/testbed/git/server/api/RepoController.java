package io.testbed.git.server.api;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import io.testbed.git.server.repo.GitProperties;
import io.testbed.git.server.repo.RepoRegistry;
import io.testbed.git.server.repo.RepoSpec;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/repos}: what the gateway lists and creates. Creating is idempotent: posting the
 * parameters of an existing repository returns it with 200, a new one is generated and returned with
 * 201 (generation runs in the request; a 256 MiB repository takes some seconds).
 */
@RestController
@RequestMapping("/api/repos")
class RepoController {

    private final RepoRegistry registry;
    private final long defaultSeed;

    RepoController(RepoRegistry registry, GitProperties properties) {
        this.registry = registry;
        this.defaultSeed = properties.seed();
    }

    @GetMapping
    List<RepoView> list() {
        return registry.list().stream().map(RepoView::of).toList();
    }

    @GetMapping("/{name}")
    RepoView get(@PathVariable String name) {
        return registry.find(name).map(RepoView::of).orElseThrow(() -> new RepoNotFoundException(name));
    }

    @PostMapping
    ResponseEntity<RepoView> create(@RequestBody CreateRepoRequest request) throws IOException {
        String name = request.name();
        Long size = request.sizeBytes();
        String nameProblem = RepoSpec.problemWithName(name);
        if (nameProblem != null) {
            throw new InvalidRepoException(nameProblem);
        }
        if (size == null) {
            size = RepoSpec.impliedSize(name).orElseThrow(() -> new InvalidRepoException(
                    "sizeBytes is missing: give it (" + RepoSpec.MIN_SIZE + " to " + RepoSpec.MAX_SIZE
                            + ") or use a name of the form pack-<n>k|m, which implies it"));
        }
        String problem = RepoSpec.problemWith(name, size);
        if (problem != null) {
            throw new InvalidRepoException(problem);
        }
        RepoRegistry.Ensured ensured = registry.ensure(
                new RepoSpec(name, size, request.seed() == null ? defaultSeed : request.seed()));
        RepoView view = RepoView.of(ensured.info());
        if (!ensured.added()) {
            return ResponseEntity.ok(view);
        }
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/repos/" + name)).body(view);
    }

    /** No repository of that name is served. */
    static final class RepoNotFoundException extends RuntimeException {
        RepoNotFoundException(String name) {
            super("no repository named '" + name + "' is served: GET /api/repos lists them, POST /api/repos"
                    + " creates one");
        }
    }

    /** The request names an impossible repository. */
    static final class InvalidRepoException extends RuntimeException {
        InvalidRepoException(String message) {
            super(message);
        }
    }
}
