/**
 * The REST API (capabilities, start a download, read a download) and its problem-detail errors;
 * a thin adapter over the download service. {@link io.testbed.tls.client.web.BodySizeLimit} bounds a body's size
 * and time, testbed-web's {@link io.testbed.web.tomcat.HeaderDeadline} the time of a request's line and headers
 * (issue 16).
 */
package io.testbed.tls.client.web;
