/**
 * What the stored results share: {@link io.testbed.gateway.store.StoredJson}, the lenient mapper for
 * the JSON documents kept in text columns; {@link io.testbed.gateway.store.Deletions}, the deletes of
 * ended downloads, experiments and reproductions ({@code DELETE /api/...}), and the
 * {@link io.testbed.gateway.store.RetentionSweep} that applies {@code testbed.retention.*}. The tables are created by Flyway from
 * {@code db/migration}; each feature keeps its own rows and repositories (Spring Data JDBC) beside
 * its service: downloads in {@code download}, experiments and runs in {@code experiment},
 * reproductions and charts in {@code reproduction}. H2 in file mode by default, PostgreSQL with the
 * {@code postgres} profile.
 */
package io.testbed.gateway.store;
