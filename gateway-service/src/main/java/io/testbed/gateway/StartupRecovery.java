package io.testbed.gateway;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadStore;
import io.testbed.gateway.experiment.ExperimentService;
import io.testbed.gateway.kernel.MachineAdminClient;
import io.testbed.gateway.kernel.MachineInfo;
import io.testbed.gateway.reproduction.ReproductionService;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs once at start, before the web server takes requests: whatever the database says was running
 * was cut off by a stop or a crash of the previous gateway. Each such download, run, experiment and
 * reproduction is marked failed with the reason, so nothing is lost silently and nothing looks
 * running forever. The machines the previous gateway created for them are deleted (in the background,
 * if the kernel still has them): nobody else would, and kernel-sim keeps a machine until told.
 * Nothing is resumed: a figure only ever comes from one uninterrupted run. It sits at the package root because it
 * reaches into every feature (downloads, experiments, reproductions) and the kernels.
 */
@Component
@DependsOn("durableH2") // commits are durable before recovery writes
public class StartupRecovery {

    private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

    private final DownloadStore downloads;
    private final ExperimentService experiments;
    private final ReproductionService reproductions;
    private final MachineAdminClient machines;
    /** When the sweep tries the kernels, ms after the previous try: about a minute in all. */
    private static final long[] SWEEP_DELAYS_MS = {0, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000};

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
        Set<String> owners = new TreeSet<>();
        for (Download d : downloads.running()) {
            downloads.save(d.finished(Status.FAILED, now, d.kernel(),
                    "the gateway stopped while following this download (found at its restart, " + now + ");"
                            + " its figures were not collected"
                            + (d.machineCreated() ? "; machine " + d.machineId() + " was deleted if it still existed" : "")));
            log.warn("download {} was running when the gateway stopped; marked failed", d.id());
            if (d.machineCreated()) {
                owners.add(d.id());
            }
        }
        owners.addAll(experiments.recoverAfterRestart());
        reproductions.recoverAfterRestart();
        if (!owners.isEmpty()) {
            Thread sweep = new Thread(() -> sweep(owners), "orphan-machine-sweep");
            sweep.setDaemon(true);
            sweep.start();
        }
    }

    /**
     * Deletes, on every kernel, the machines the previous gateway created for what was cut off: found by
     * their owner (the download's or the experiment's id, {@code Machine.owner}), so a machine whose row never
     * got its id (created just before the crash) goes too. Off
     * the start path; a kernel not reachable yet (it may start after the gateway) is tried again for
     * about a minute, then left with a warning.
     */
    private void sweep(Set<String> owners) {
        Set<String> left = new TreeSet<>(machines.kernels());
        Set<String> swept = new TreeSet<>();
        for (long delayMs : SWEEP_DELAYS_MS) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // discovered kernels appear after the start (testbed.kernel-discovery): each one found is swept too
            machines.kernels().stream().filter(k -> !swept.contains(k)).forEach(left::add);
            for (String kernel : List.copyOf(left)) {
                try {
                    for (MachineInfo m : machines.list(kernel)) {
                        if (m.owner() != null && owners.contains(m.owner())) {
                            machines.delete(kernel, m.id());
                            log.info("deleted machine {} ({}) on kernel {}: its owner was cut off by the previous gateway's stop",
                                    m.id(), m.name(), kernel);
                        }
                    }
                    left.remove(kernel);
                    swept.add(kernel);
                } catch (RuntimeException e) {
                    log.debug("orphan sweep on kernel {} failed, will retry: {}", kernel, e.getMessage());
                }
            }
            if (left.isEmpty() && !swept.isEmpty()) {
                return;
            }
        }
        if (!left.isEmpty() || swept.isEmpty()) {
            log.warn("could not reach kernels {} to delete the machines of what the previous gateway left running", left.isEmpty() ? "(none found)" : left);
        }
    }
}
