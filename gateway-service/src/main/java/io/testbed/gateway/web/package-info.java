/**
 * The REST surface: {@link DownloadController} (start, read and list downloads),
 * {@link ExperimentController} (matrices, their progress, summaries and CSV),
 * {@link ReproductionController} (the seed's claims: report and charts), {@link ResultsPageController}
 * (the HTML results page), {@link CatalogController} (pass-through lists of repositories and machines), the request and
 * response shapes ({@link DownloadRequest}, {@link DownloadView}), and the error side:
 * {@link ProblemDetailsAdvice} turns every failure into an RFC 9457 problem detail with a message a
 * person can act on, {@link RequestBodyLimitFilter} refuses oversized and too slow bodies; testbed-web's
 * {@code HeaderDeadline} bounds a request's line and headers in all (issue 16), and its {@code TokenSecurity} is the
 * bearer token.
 *
 * <table>
 *   <caption>Errors and their status</caption>
 *   <tr><th>cause</th><th>status</th></tr>
 *   <tr><td>malformed JSON, unknown field, wrong type, out-of-range value, bad query parameter or id</td><td>400</td></tr>
 *   <tr><td>unknown repo, client, policy type; kernel refuses profile or setting; tls-client refuses</td><td>400</td></tr>
 *   <tr><td>experiment matrix the services cannot run (unknown values, a refused machine)</td><td>400</td></tr>
 *   <tr><td>unknown download, experiment or reproduction id</td><td>404</td></tr>
 *   <tr><td>experiment over {@code testbed.experiments.max-runs}</td><td>413</td></tr>
 *   <tr><td>body larger than {@code testbed.api.max-body-bytes}</td><td>413</td></tr>
 *   <tr><td>repository larger than {@code testbed.downloads.max-repo-bytes}</td><td>413</td></tr>
 *   <tr><td>a write without the bearer token when bound beyond loopback</td><td>401</td></tr>
 *   <tr><td>body still arriving after {@code testbed.api.max-body-read-time}</td><td>408</td></tr>
 *   <tr><td>body not {@code application/json}</td><td>415</td></tr>
 *   <tr><td>{@code testbed.downloads.max-running} downloads or {@code testbed.experiments.max-running}
 *       experiments running already (with {@code Retry-After})</td><td>429</td></tr>
 *   <tr><td>git-http-server, tls-client-service or kernel-sim-service unreachable</td><td>503</td></tr>
 * </table>
 */
package io.testbed.gateway.web;
