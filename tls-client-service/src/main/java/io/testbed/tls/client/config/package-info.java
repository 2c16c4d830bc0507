/**
 * The service's settings ({@code testbed.*}) bound into one record; every other package receives
 * plain values from here, never the Spring environment.
 */
package io.testbed.tls.client.config;
