/**
 * The reproduction of the seed's claims (issue 15): {@link io.testbed.gateway.reproduction.ReproductionCells}
 * expresses each claim's configuration as kernel settings and tls-client policies on the code state it is
 * about ({@link io.testbed.gateway.reproduction.ReproductionProfiles} names the commit behind each profile),
 * in one experiment with the {@link io.testbed.gateway.reproduction.Sensitivity} variants;
 * {@link io.testbed.gateway.reproduction.ClaimJudge} applies each claim's written rule to the medians
 * (not measurable when a baseline made no progress), {@link io.testbed.gateway.reproduction.SensitivityResult}
 * marks each verdict robust or fragile; {@link io.testbed.gateway.reproduction.MarkdownReport},
 * {@link io.testbed.gateway.reproduction.ReportOpening}, {@link io.testbed.gateway.reproduction.RealKernel}
 * and {@link io.testbed.gateway.reproduction.Charts} (JFreeChart onto JFreeSVG) write the report and the
 * charts, which {@link io.testbed.gateway.reproduction.ReproductionService} keeps in {@code reproductions} and
 * {@code charts}; {@link io.testbed.gateway.reproduction.CommittedReport} serves the committed run to the
 * results page while the database has none.
 */
package io.testbed.gateway.reproduction;
