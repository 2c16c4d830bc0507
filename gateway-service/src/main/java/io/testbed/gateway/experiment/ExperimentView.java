package io.testbed.gateway.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An experiment as {@code GET /api/experiments/{id}} shows it: progress, and per cell its runs and
 * their summary.
 */
public record ExperimentView(String id, String name, String kind, String status, Instant createdAt, Instant finishedAt,
                             long seed, int repetitions, String cpu, double maxSimulatedSeconds, Progress progress,
                             String error, List<CellView> cells) {

    /** Runs by status. */
    public record Progress(int total, int pending, int running, int succeeded, int failed, int stopped, int cancelled) {
        public int ended() {
            return succeeded + failed + stopped + cancelled;
        }
    }

    public record CellView(int index, String label, String group, String repo, String client, Map<String, Object> policy,
                           String policyLabel, String machine, String profile, Map<String, String> overrides,
                           int downloads, int sessions, List<RunView> runs, Map<String, Summary.Stat> summary) {
    }

    public record RunView(String id, int repetition, long seed, String status, String kernel, String machineId,
                          Instant startedAt, Instant finishedAt, String error, RunResult result) {
    }
}
