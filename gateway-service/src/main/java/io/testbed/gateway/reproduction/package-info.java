/**
 * The reproduction of the seed's claims (DESIGN section 8): {@link io.testbed.gateway.reproduction.ReproductionCells}
 * expresses each claim's configuration as kernel settings and tls-client policies, in one experiment;
 * {@link io.testbed.gateway.reproduction.ClaimJudge} applies each claim's written rule to the medians;
 * {@link io.testbed.gateway.reproduction.MarkdownReport} and {@link io.testbed.gateway.reproduction.Charts}
 * write the report and the charts, which {@link io.testbed.gateway.reproduction.ReproductionService}
 * keeps in {@code reproductions} and {@code charts}.
 */
package io.testbed.gateway.reproduction;
