/**
 * A minimal HTTP/1.1 client over a TLS connection: one connection per request as Akuma's scratch
 * does, or one kept-alive connection for all of a download's requests; request head and
 * Content-Length body out, status, headers and a sized, chunked or until-close body in.
 */
package io.testbed.tls.client.http;
