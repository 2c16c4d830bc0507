/**
 * Bounds on slow connections for every HTTP port (issue 16, item 3), on Tomcat's NIO connector:
 * {@link io.testbed.web.tomcat.HeaderDeadline} (the configuration a service imports) sets
 * {@link io.testbed.web.tomcat.HeaderDeadline.Protocol} on the connector, whose
 * {@link io.testbed.web.tomcat.DeadlineNioEndpoint} bounds a TLS handshake and whose processors bound a request's
 * line and headers, both with the {@link io.testbed.web.tomcat.ConnectionDeadlines} of that connector;
 * {@link io.testbed.web.tomcat.ManagementHeaderDeadline} does the same on a management port of its own.
 */
package io.testbed.web.tomcat;
