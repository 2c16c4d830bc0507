/**
 * One download end to end ({@link io.testbed.tls.client.download.Downloader}, Spring-free), its
 * progress and result figures, and the service that validates requests, runs downloads on a
 * bounded pool and keeps the latest results.
 */
package io.testbed.tls.client.download;
