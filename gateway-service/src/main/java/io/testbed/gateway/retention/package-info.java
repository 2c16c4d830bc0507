/**
 * Deleting what ended: {@link io.testbed.gateway.retention.Deletions}, the deletes of ended downloads, experiments
 * and reproductions ({@code DELETE /api/...}; {@link io.testbed.gateway.retention.StillRunningException} for one
 * still running), and the {@link io.testbed.gateway.retention.RetentionSweep} that applies
 * {@code testbed.retention.*} ({@link io.testbed.gateway.retention.RetentionProperties}). It reaches into the rows
 * of every feature, so it sits beside them, not in {@code store}, which they all use.
 */
package io.testbed.gateway.retention;
