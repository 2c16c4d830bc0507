/**
 * The git server as the gateway sees it: its repository list ({@code GET /api/repos} over HTTPS),
 * used to validate download requests and passed through to users. {@link CaTrust} makes the HTTPS
 * client trust only the testbed CA ({@code testbed.pki.ca-file}, written by git-http-server on its
 * first start), re-reading the file when it changes so the gateway may start before the CA exists.
 */
package io.testbed.gateway.git;
