package io.testbed.gateway.experiment;

import io.testbed.gateway.common.Status;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

/** One row of {@code runs}: a repetition of a cell; {@code result} is the {@link RunResult} as JSON. */
@Table("runs")
record RunRow(@Id String id, String experimentId, int cellIndex, int repetition, long seed, String status,
              String kernel, String machineId, Instant startedAt, Instant finishedAt, String result, String error) {

    RunRow started(String onKernel, String machine, Instant at) {
        return new RunRow(id, experimentId, cellIndex, repetition, seed, Status.RUNNING.label(), onKernel, machine, at, null, null, null);
    }

    RunRow ended(Status newStatus, Instant at, String resultJson, String why) {
        return new RunRow(id, experimentId, cellIndex, repetition, seed, newStatus.label(), kernel, machineId, startedAt, at, resultJson, why);
    }
}
