/**
 * Experiments: a matrix of configurations ({@link io.testbed.gateway.experiment.Cell}), each run a
 * number of times on its own virtual-clock machine. {@link io.testbed.gateway.experiment.ExperimentService}
 * checks a whole {@link io.testbed.gateway.experiment.ExperimentPlan} before storing it and queues its
 * runs on a bounded pool, spread over the configured kernels; {@link io.testbed.gateway.experiment.RunExecutor}
 * carries out one run (a {@link io.testbed.gateway.run.MachineRun}: machine, N downloads through tls-client,
 * stats, deletion) and turns what it saw
 * into a {@link io.testbed.gateway.experiment.RunResult}. {@link io.testbed.gateway.experiment.Summary}
 * gives median, min and max per cell, {@link io.testbed.gateway.experiment.ExperimentCsv} one row per
 * run. Experiments and runs are rows of {@code experiments} and {@code runs}. Where a download's time
 * went is a {@link io.testbed.gateway.experiment.TimeSplit} of its thread's kernel accounting (the client
 * CPU by kind among its parts); {@link io.testbed.gateway.experiment.DownloadTimeMetrics} exports the splits
 * of finished downloads, of runs and of the download API, as {@code gateway.download.time}.
 */
package io.testbed.gateway.experiment;
