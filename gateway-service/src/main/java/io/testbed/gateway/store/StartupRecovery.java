package io.testbed.gateway.store;

import io.testbed.gateway.download.Download;
import io.testbed.gateway.download.DownloadStatus;
import io.testbed.gateway.download.DownloadStore;
import io.testbed.gateway.experiment.ExperimentService;
import io.testbed.gateway.reproduction.ReproductionService;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Runs once at start, before the web server takes requests: whatever the database says was running
 * was cut off by a stop or a crash of the previous gateway. Each such download, run, experiment and
 * reproduction is marked failed with the reason, so nothing is lost silently and nothing looks
 * running forever. Nothing is resumed: a figure only ever comes from one uninterrupted run.
 */
@Component
public class StartupRecovery {

    private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

    private final DownloadStore downloads;
    private final ExperimentService experiments;
    private final ReproductionService reproductions;

    public StartupRecovery(DownloadStore downloads, ExperimentService experiments, ReproductionService reproductions) {
        this.downloads = downloads;
        this.experiments = experiments;
        this.reproductions = reproductions;
    }

    @PostConstruct
    void recover() {
        Instant now = Instant.now();
        for (Download d : downloads.running()) {
            downloads.save(d.finished(DownloadStatus.FAILED, now, d.kernel(),
                    "the gateway stopped while following this download (found at its restart, " + now + ");"
                            + " its figures were not collected"));
            log.warn("download {} was running when the gateway stopped; marked failed", d.id());
        }
        experiments.recoverAfterRestart();
        reproductions.recoverAfterRestart();
    }
}
