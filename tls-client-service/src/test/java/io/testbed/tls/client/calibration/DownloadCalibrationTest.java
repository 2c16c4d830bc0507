package io.testbed.tls.client.calibration;

import io.testbed.kernel.sim.calibration.Calibration;
import io.testbed.kernel.sim.calibration.CalibrationReport;
import io.testbed.kernel.sim.calibration.Reference;
import io.testbed.kernel.sim.calibration.References;
import io.testbed.kernel.sim.config.Profiles;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C4 and C5 (issue 14) on the model: Akuma's scratch client against the real git server on in-process
 * simulated machines. The default run checks C5 at the profiles' fitted {@code cost.sector_ns} and its
 * determinism (~1-2 min); {@code make calibrate} ({@code -Dcalibration.report=DIR}) also re-fits the
 * sector cost on C5, runs C4 (a 4 MiB pack at the seed's commit), the sensitivity rows, and writes the
 * whole report (C1-C3 from kernel-sim's calibration, C4, C5) to DIR.
 */
class DownloadCalibrationTest {

    @Test
    @DisplayName("C5: the model's display at the end of the 255 KB download is within 15% of Akuma's 80 kbps; same seed, same figures")
    void c5_withinBand_andDeterministic() throws Exception {
        DownloadCalibration.Run a = DownloadRefs.c5Run(Map.of(), 1.0);
        DownloadCalibration.Run b = DownloadRefs.c5Run(Map.of(), 1.0);
        double end = a.kbpsAtEnd();
        double at194 = a.kbpsAt(DownloadRefs.C5_MARK);
        System.out.printf("C5 at the profile's cost.sector_ns=%s: %d kbps at 194 KB (Akuma 58), %d kbps at the end "
                        + "(%d B; Akuma 80); download %.3f s; %d TLS reads, %d pack writes%n", DownloadRefs.storedSectorNs(),
                (long) at194, (long) end, a.received(), a.downloadSeconds(), a.samples().size(), a.packWrites());
        assertThat(end / DownloadRefs.C5_END_KBPS).as("C5 end (fits cost.sector_ns)").isBetween(0.85, 1.15);
        // the check figure: with whole-file writes each write costs in proportion to the file, so the running
        // average falls as the pack grows; at 194 KB the model is faster than at the end (Akuma's 58 is slower,
        // from another run that stalled there)
        assertThat(at194).isGreaterThan(end);
        assertThat(b.samples()).hasSameSizeAs(a.samples());
        assertThat(b.downloadEndNs()).isEqualTo(a.downloadEndNs());
        assertThat(b.kbpsAtEnd()).isEqualTo(a.kbpsAtEnd());
        assertThat(b.kbpsAt(DownloadRefs.C5_MARK)).isEqualTo(a.kbpsAt(DownloadRefs.C5_MARK));
    }

    @Test
    @EnabledIfSystemProperty(named = "calibration.c4", matches = "true")
    @DisplayName("C4 alone (-Dcalibration.c4=true): wall time, simulated time and the engine's counters, for docs/BENCHMARKS.md")
    void c4Alone() throws Exception {
        long t0 = System.nanoTime();
        // -Dc4.ff=off: the same run without the idle fast-forward (identical figures, the engine's cost without it)
        DownloadCalibration.Run c4 = DownloadRefs.c4Run(Map.of("engine.fast_forward", System.getProperty("c4.ff", "on")), 1.0);
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> c = DownloadCalibration.lastCounters;
        System.out.printf("C4: wall %.1f s, download %.3f simulated s (%.2f min)%n", wall,
                c4.downloadSeconds(), c4.downloadSeconds() / 60);
        for (String k : List.of("passes", "events", "events_queued", "ticks", "network_polls", "context_switches", "trace_records",
                "trace_hash", "halted_ns", "boosts", "wall_busy_ns", "wall_client_wait_ns", "wall_upstream_hold_ns", "repeated_syscalls", "halted_ns", "ff_jumps",
                "ff_skipped_passes", "ff_skipped_ns")) {
            System.out.println("C4 counter " + k + " = " + c.get(k));
        }
        assertThat(c4.downloadSeconds() / 60).isBetween(1.0, 30.0);
    }

    @Test
    @EnabledIfSystemProperty(named = "calibration.fit", matches = "true")
    @DisplayName("the fit alone (-Dcalibration.fit=true): cost.sector_ns on C5's end display")
    void fitOnly() throws Exception {
        long fitted = DownloadRefs.fitSectorNs();
        System.out.println("fitted cost.sector_ns = " + fitted + " (stored " + DownloadRefs.storedSectorNs() + ")");
        assertThat(fitted).isBetween(5_000L, 100_000L); // the estimate's range (5-100 us)
    }

    @Test
    @EnabledIfSystemProperty(named = "calibration.report", matches = ".+")
    @DisplayName("make calibrate: re-fit cost.sector_ns on C5, C4 in its range, sensitivity, the whole report")
    void calibrate_writesTheReport() throws Exception {
        long fitted = DownloadRefs.fitSectorNs();
        Calibration.Parameters p = Calibration.Parameters.fitted();
        List<Calibration.Result> results = new ArrayList<>(Calibration.runAll(References.all(), p));
        DownloadCalibration.Run c5 = DownloadRefs.c5Run(Map.of(), 1.0);
        DownloadCalibration.Run c4 = DownloadRefs.c4Run(Map.of(), 1.0);
        results.add(new Calibration.Result(DownloadRefs.c4(), c4.downloadSeconds() / 60));
        results.add(new Calibration.Result(DownloadRefs.c5At194(), c5.kbpsAt(DownloadRefs.C5_MARK)));
        results.add(new Calibration.Result(DownloadRefs.c5End(), c5.kbpsAtEnd()));
        List<Calibration.Sensitivity> sens = DownloadRefs.sensitivity(p);
        long stored = DownloadRefs.storedSectorNs();
        CalibrationReport report = new CalibrationReport(Calibration.fit(), p, results, sens,
                List.of(new CalibrationReport.Fitted("cost.sector_ns (ns per 512-byte virtio-blk request)", Long.toString(stored),
                        Long.toString(fitted), "C5 (the display at the end of the download, 80 kbps)")),
                DownloadRefs.NOTES);
        Path dir = Path.of(System.getProperty("calibration.report"));
        report.write(dir);
        System.out.print(report.markdown());
        for (Calibration.Result r : results) {
            System.out.printf("%s measured %.2f %s, model %.2f, accepted %s%n", r.reference().id(), r.reference().measured(),
                    r.reference().unit(), r.figure(), r.accepted());
        }
        assertThat(Math.abs(fitted - stored)).as("the re-fit lands on the stored sector cost").isLessThanOrEqualTo(stored / 20);
        assertThat(results.get(3).accepted()).as("C4 inside 1-30 minutes").isTrue();
        assertThat(results.get(5).accepted()).as("C5 end within 15%").isTrue();
        assertThat(Files.readString(dir.resolve("calibration.md"))).contains("| C4 |", "| C5-end |", "cost.sector_ns");
    }
}
