/**
 * The JSON admin API over the repository registry, on the HTTPS port: list, inspect and create
 * repositories. {@link io.testbed.git.server.api.RepoController} maps requests to
 * {@link io.testbed.git.server.repo.RepoRegistry} calls and {@link io.testbed.git.server.api.RepoView}s;
 * {@link io.testbed.git.server.api.ApiExceptionHandler} turns every failure into RFC 9457 problem
 * details whose {@code detail} says what to change.
 */
package io.testbed.git.server.api;
