package io.testbed.git.server.api;

import io.testbed.git.server.repo.RepoInfo;

/** A served repository as {@code /api/repos} shows it; {@code head} is the commit id of {@code main}. */
public record RepoView(String name, long sizeBytes, long seed, String head, long objects, long packBytes) {

    static RepoView of(RepoInfo info) {
        return new RepoView(info.spec().name(), info.spec().sizeBytes(), info.spec().seed(), info.head(),
                info.objects(), info.packBytes());
    }
}
