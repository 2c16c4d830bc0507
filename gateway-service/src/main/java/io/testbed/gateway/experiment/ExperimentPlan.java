package io.testbed.gateway.experiment;

import java.util.List;

/**
 * What an experiment runs, as stored: its cells (a user's matrix expanded, or a reproduction's list),
 * each run {@code repetitions} times.
 *
 * @param name                a label
 * @param kind                {@code matrix} (POST /api/experiments) or {@code reproduction}
 * @param seed                the experiment's seed; each run's machine seed derives from it ({@link Cell#seed})
 * @param repetitions         runs per cell
 * @param cpu                 tls-client's userspace CPU mode ({@code zero}, {@code modelled}), null for its default
 * @param maxSimulatedSeconds a run still going at this simulated time is stopped (its downloads count as not finished)
 * @param cells               the configurations
 */
public record ExperimentPlan(String name, String kind, long seed, int repetitions, String cpu,
                             double maxSimulatedSeconds, List<Cell> cells) {

    public int totalRuns() {
        return cells.stream().mapToInt(c -> c.repetitions(repetitions)).sum();
    }
}
