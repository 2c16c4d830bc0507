/**
 * Git's smart HTTP protocol (upload-pack only) over the HTTPS connector, served by JGit.
 * <p>
 * {@link io.testbed.git.server.http.GitHttpConfiguration} registers JGit's {@code GitServlet} under an
 * internal prefix and {@link io.testbed.git.server.http.RepoPathForwardFilter}, which forwards every
 * {@code /<name>.git/...} request to it before Spring MVC could see it, so repositories are served at
 * {@code https://host:port/<name>.git}. {@link io.testbed.git.server.http.RegistryRepositoryResolver}
 * resolves names against the {@link io.testbed.git.server.repo.RepoRegistry} (anything else is 404),
 * {@link io.testbed.git.server.http.MeteredUploadPackFactory} creates upload-pack sessions that honour
 * the client's protocol version and report pack bytes, and
 * {@link io.testbed.git.server.http.UploadPackOutcomeFilter} counts upload-pack requests by outcome.
 * <p>
 * Slow clients (issue 16): {@link io.testbed.git.server.http.HeaderDeadline} puts testbed-web's bounds on the
 * marking connector: a TLS handshake and a request's line and headers in all, and blocked writes their own, longer
 * timeout (slow simulated readers);
 * {@link io.testbed.git.server.http.BodyDeadline} bounds a body's time, the API's and git's.
 */
package io.testbed.git.server.http;
