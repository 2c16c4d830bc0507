/**
 * What the stored results share: {@link io.testbed.gateway.store.StoredJson}, the lenient mapper for
 * the JSON documents kept in text columns, {@link io.testbed.gateway.store.DurableH2} (a commit is in the file
 * before it returns) and the table naming. The tables are created by Flyway from
 * {@code db/migration}; each feature keeps its own rows and repositories (Spring Data JDBC) beside
 * its service: downloads in {@code download}, experiments and runs in {@code experiment},
 * reproductions and charts in {@code reproduction}; deleting what ended is {@code retention}. H2 in file mode by
 * default, PostgreSQL with the {@code postgres} profile.
 */
package io.testbed.gateway.store;
