/**
 * The calibration of the simulated Akuma on Akuma's own measurements (issue 13), as the gateway shows
 * it: the report {@code make calibrate} writes ({@code reports/calibration.json}), served at
 * {@code GET /api/calibration} and rendered as a table on the results page.
 */
package io.testbed.gateway.calibration;
