package io.testbed.gateway.retention;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadNotFoundException;
import io.testbed.gateway.download.DownloadStore;
import io.testbed.gateway.experiment.ExperimentNotFoundException;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.reproduction.ReproductionNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Optional;

/**
 * Deletes stored downloads, experiments and reproductions (issue 16, item 11) for
 * {@code DELETE /api/...} and the {@link RetentionSweep}. Nothing running is deleted: a running item
 * gives {@link StillRunningException} (409), and every {@code DELETE} statement repeats the
 * {@code status <> 'running'} condition so a race with a start cannot remove a running row. An
 * experiment goes with its runs and any reproduction made of it (with its charts); a reproduction
 * with its charts and its experiment and runs; a download with the machine the gateway created for
 * it, if the kernel still has it.
 */
@Service
public class Deletions {

    static final String RUNNING = Status.RUNNING.label();
    private static final Logger log = LoggerFactory.getLogger(Deletions.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final DownloadStore downloads;
    private final MachineAdminClient machines;

    public Deletions(JdbcClient jdbc, TransactionTemplate transactions, DownloadStore downloads, MachineAdminClient machines) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.downloads = downloads;
        this.machines = machines;
    }

    /** Deletes a download that has ended, and its machine if the gateway created one and it still exists. */
    public void deleteDownload(String id) {
        Download download = downloads.find(id).orElseThrow(() -> new DownloadNotFoundException(id));
        requireEnded("download", id, download.status().label());
        int deleted = jdbc.sql("DELETE FROM downloads WHERE id = :id AND status <> 'running'").param("id", id).update();
        if (deleted == 0) {
            throw new DownloadNotFoundException(id);
        }
        if (download.machineCreated() && download.machineId() != null) {
            try {
                if (machines.delete(download.spec().kernel(), download.machineId())) {
                    log.info("download {} deleted with its machine {}", id, download.machineId());
                }
            } catch (RuntimeException e) {
                log.warn("download {} deleted; its machine {} could not be deleted: {}", id, download.machineId(), e.getMessage());
            }
        }
    }

    /** Deletes an experiment that has ended, with its runs and any reproduction (and charts) made of it. */
    public void deleteExperiment(String id) {
        String status = status("experiments", id).orElseThrow(() -> new ExperimentNotFoundException(id));
        requireEnded("experiment", id, status);
        for (String reproduction : jdbc.sql("SELECT id FROM reproductions WHERE experiment_id = :id AND status = 'running'")
                .param("id", id).query(String.class).list()) {
            throw new StillRunningException("experiment", id, RUNNING, "Experiment '" + id + "' cannot be deleted: reproduction '"
                    + reproduction + "' made of it is still running (its report is being written); try again when it has ended");
        }
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("DELETE FROM charts WHERE reproduction_id IN (SELECT id FROM reproductions WHERE experiment_id = :id)")
                    .param("id", id).update();
            jdbc.sql("DELETE FROM reproductions WHERE experiment_id = :id").param("id", id).update();
            deleteExperimentRows(id);
        });
    }

    /** Deletes a reproduction that has ended, with its charts and its experiment and runs. */
    public void deleteReproduction(String id) {
        String status = status("reproductions", id).orElseThrow(() -> new ReproductionNotFoundException(
                "No reproduction '" + id + "'; GET /api/reproductions lists them"));
        requireEnded("reproduction", id, status);
        String experiment = jdbc.sql("SELECT experiment_id FROM reproductions WHERE id = :id").param("id", id).query(String.class).single();
        String experimentStatus = status("experiments", experiment).orElse(null);
        if (RUNNING.equals(experimentStatus)) {
            throw new StillRunningException("reproduction", id, RUNNING, "Reproduction '" + id + "' cannot be deleted: its experiment '"
                    + experiment + "' is running");
        }
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("DELETE FROM charts WHERE reproduction_id = :id").param("id", id).update();
            jdbc.sql("DELETE FROM reproductions WHERE id = :id AND status <> 'running'").param("id", id).update();
            deleteExperimentRows(experiment);
        });
    }

    private void deleteExperimentRows(String id) {
        List<String> blocking = jdbc.sql("SELECT id FROM experiments WHERE id = :id AND status = 'running'").param("id", id)
                .query(String.class).list();
        if (!blocking.isEmpty()) {
            throw new StillRunningException("experiment", id, RUNNING, "Experiment '" + id + "' is running");
        }
        jdbc.sql("DELETE FROM runs WHERE experiment_id = :id").param("id", id).update();
        jdbc.sql("DELETE FROM experiments WHERE id = :id AND status <> 'running'").param("id", id).update();
    }

    private Optional<String> status(String table, String id) {
        // table is one of three constants of this class, never input
        return jdbc.sql("SELECT status FROM " + table + " WHERE id = :id").param("id", id).query(String.class).optional();
    }

    private static void requireEnded(String kind, String id, String status) {
        if (RUNNING.equals(status)) {
            throw new StillRunningException(kind, id, status, "The " + kind + " '" + id + "' is " + status
                    + ": only an ended " + kind + " can be deleted; try again when it has ended");
        }
    }
}
