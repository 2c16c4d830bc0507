/**
 * The calibration harness (issue 13): Akuma's own measurements (C1-C3, and the download references
 * C4/C5 of issue 14) replayed as syscall programs on simulated machines of the matching profile,
 * driven through the syscall ABI at engine level (deterministic, no engine thread, no wall clock), the
 * fit of the free parameters, a sensitivity table, and the report ({@code make calibrate} writes
 * reports/calibration.md and .json).
 */
package io.testbed.kernel.sim.calibration;
