/**
 * The REST API (capabilities, start a download, read a download) and its problem-detail errors;
 * a thin adapter over the download service.
 */
package io.testbed.tls.client.web;
