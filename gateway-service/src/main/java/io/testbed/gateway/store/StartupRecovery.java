package io.testbed.gateway.store;

import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadStatus;
import io.testbed.gateway.download.DownloadStore;
import io.testbed.gateway.experiment.ExperimentService;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.reproduction.ReproductionService;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs once at start, before the web server takes requests: whatever the database says was running
 * was cut off by a stop or a crash of the previous gateway. Each such download, run, experiment and
 * reproduction is marked failed with the reason, so nothing is lost silently and nothing looks
 * running forever. The machines the previous gateway created for them are deleted (in the background,
 * if the kernel still has them): nobody else would, and kernel-sim keeps a machine until told.
 * Nothing is resumed: a figure only ever comes from one uninterrupted run.
 */
@Component
public class StartupRecovery {

    private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

    private final DownloadStore downloads;
    private final ExperimentService experiments;
    private final ReproductionService reproductions;
    private final MachineAdminClient machines;

    public StartupRecovery(DownloadStore downloads, ExperimentService experiments, ReproductionService reproductions,
                           MachineAdminClient machines) {
        this.downloads = downloads;
        this.experiments = experiments;
        this.reproductions = reproductions;
        this.machines = machines;
    }

    @PostConstruct
    void recover() {
        Instant now = Instant.now();
        List<Download> orphans = new ArrayList<>();
        for (Download d : downloads.running()) {
            downloads.save(d.finished(DownloadStatus.FAILED, now, d.kernel(),
                    "the gateway stopped while following this download (found at its restart, " + now + ");"
                            + " its figures were not collected"
                            + (d.machineCreated() ? "; machine " + d.machineId() + " was deleted if it still existed" : "")));
            log.warn("download {} was running when the gateway stopped; marked failed", d.id());
            if (d.machineCreated() && d.machineId() != null) {
                orphans.add(d);
            }
        }
        deleteMachinesQuietly(orphans);
        experiments.recoverAfterRestart();
        reproductions.recoverAfterRestart();
    }

    /** The machines the previous gateway created for downloads it was following: off the start path, errors only logged. */
    private void deleteMachinesQuietly(List<Download> orphans) {
        if (orphans.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> {
            for (Download d : orphans) {
                String kernel = d.spec().kernel();
                try {
                    if (machines.kernels().contains(kernel)) {
                        machines.delete(kernel, d.machineId());
                    }
                } catch (RuntimeException e) {
                    log.debug("machine {} of download {} on {} not deleted: {}", d.machineId(), d.id(), kernel, e.getMessage());
                }
            }
        }, "orphan-download-machine-delete");
        t.setDaemon(true);
        t.start();
    }
}
