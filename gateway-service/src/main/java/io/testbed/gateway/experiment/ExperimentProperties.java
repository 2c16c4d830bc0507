package io.testbed.gateway.experiment;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How experiments run ({@code testbed.experiments.*}).
 *
 * @param parallelRuns        runs at once, over all experiments and kernels (each run is one machine and
 *                            its downloads; the bound keeps the kernels' engine threads and the host's cores in step)
 * @param maxRuns             the largest experiment accepted (cells x repetitions); larger ones get 413
 * @param maxDownloadsPerRun  the most concurrent downloads one machine may be given (Akuma has 24 user slots)
 * @param maxSimulatedSeconds the default bound on a run's simulated time; a run past it is stopped
 * @param pollInterval        how often a running run asks tls-client and the kernel for progress
 * @param runWallTimeout      real time after which a run is failed and its machine deleted
 * @param maxRunning          experiments (reproductions included) running at once; one more is refused with 429
 *                            and nothing is stored (their runs share the {@code parallelRuns} threads anyway)
 */
@ConfigurationProperties("testbed.experiments")
public record ExperimentProperties(@DefaultValue("2") int parallelRuns,
                                   @DefaultValue("500") int maxRuns,
                                   @DefaultValue("8") int maxDownloadsPerRun,
                                   @DefaultValue("600") double maxSimulatedSeconds,
                                   @DefaultValue("200ms") Duration pollInterval,
                                   @DefaultValue("15m") Duration runWallTimeout,
                                   @DefaultValue("4") int maxRunning) {
}
