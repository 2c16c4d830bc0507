package io.testbed.tls.client.git;

import java.util.List;

/**
 * A completed fetch.
 *
 * @param ref            the ref fetched (HEAD, refs/heads/main, ...)
 * @param commit         its object id
 * @param packSha1       the pack's trailer (SHA-1 of the pack content), checked by PackParser
 * @param objects        objects in the pack
 * @param packBytes      pack bytes received (side-band channel 1)
 * @param verified       true only when PackParser completed: trailer and every object checked
 * @param serverProgress the last progress lines the server sent (empty with no-progress)
 */
public record FetchResult(String ref, String commit, String packSha1, int objects, long packBytes, boolean verified,
                          List<String> serverProgress) {
}
