/**
 * The gateway's ground floor: what every layer shares and nothing else. The {@link io.testbed.gateway.common.Status}
 * of downloads, experiments, runs and reproductions (its labels are the wire and database values), and the exceptions
 * every client throws: a service that cannot be reached ({@link io.testbed.gateway.common.DependencyUnavailableException},
 * answered 503) and too many runs at once ({@link io.testbed.gateway.common.TooManyRunningException}, 429).
 */
package io.testbed.gateway.common;
