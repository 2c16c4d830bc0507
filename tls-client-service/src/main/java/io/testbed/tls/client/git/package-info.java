/**
 * Git smart HTTP v0/v1 fetch over the HTTP client: ref advertisement, upload-pack request,
 * side-band demultiplexing, and the pack verified by JGit's {@code PackParser} in a temporary
 * repository ({@link io.testbed.tls.client.git.GitFetcher} ties them together).
 */
package io.testbed.tls.client.git;
