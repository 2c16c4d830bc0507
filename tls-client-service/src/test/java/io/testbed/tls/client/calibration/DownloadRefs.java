package io.testbed.tls.client.calibration;

import io.testbed.kernel.sim.calibration.Calibration;
import io.testbed.kernel.sim.calibration.Reference;
import io.testbed.kernel.sim.calibration.References;
import io.testbed.kernel.sim.config.Profiles;
import io.testbed.kernel.sim.config.Settings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 14's references C4 and C5 and how they are replayed: Akuma's scratch (tls-client's re-enactment,
 * Bouncy Castle TLS 1.3 AES-128-GCM underneath) cloning from the real git server on a simulated machine
 * of the reference's profile (see {@link DownloadCalibration}). They are not in kernel-sim's
 * {@link References#all()}: they need the git server and a TLS client, which only this module has.
 */
final class DownloadRefs {
    static final String C4_PROFILE = "akuma-7b52ac2";
    static final String C5_PROFILE = "akuma-92639fb0";
    /** Akuma's "received 194 KB": the model's display at the first TLS read that brings the body to 194 KiB. */
    static final long C5_MARK = 194 * 1024;
    static final double C5_AT194_KBPS = 58;
    static final double C5_END_KBPS = 80;
    static final String C5_SOURCE = "docs/SCRATCH_CLONE_DECOMPRESSION_FIX.md @92639fb0 (2026-02-12): 'received 194 KB (58 kbps)', "
            + "'download finished, total 255 KB (80 kbps)', 245771 bytes; docs/WRITE_AT_SYSCALL.md @5bcc54c7: the 58 kbps was "
            + "the ext2 write speed";
    static final String C5_PROGRAM = "scratch clone https://git.testbed/pack-256k (263,284-byte pack, a 265,697-byte body "
            + "as read through TLS; Akuma's: 245,771 bytes, 255 KB) until tmp.pack is closed; libakuma-tls transport with "
            + "1 ms read and write sleeps (from 8316ebea); display = floor(bytes x 976 / us since the pack request was sent)";
    private static final Reference.Program ELSEWHERE = m -> {
        throw new UnsupportedOperationException("C4/C5 run in tls-client's DownloadCalibrationTest (git server, TLS client)");
    };

    static final String NOTES = "\nC4 and C5 (issue 14) run in tls-client (`DownloadCalibrationTest`, `make calibrate`): Akuma's "
            + "scratch client re-enacted syscall by syscall (Bouncy Castle TLS 1.3 underneath, `cpu: modelled` from "
            + "`UserCostTable`), cloning from the real git server (JGit over HTTPS, in-process) on an in-process simulated "
            + "machine (virtual clock, seed 1, harness `upstream.quiet_ms=1000`), stopped when `tmp.pack` is closed. "
            + "The C5 figures are Akuma's display, floor(bytes x 976 / us) with the clock started when the pack request "
            + "had been sent, at the first TLS read bringing the body to 194 KiB and at the last one. In the TCG rows "
            + "the client's TLS costs (handshake, per record, per byte, per pack byte) are scaled with the kernel's. "
            + "The 4 MiB (kernel) download does no file I/O, so it has no `cost.sector_ns` row; C1-C3 do none either "
            + "(their sector row is run and must not move).\n";

    private DownloadRefs() {
    }

    static Reference c4() {
        return new Reference("C4", "a 4 MiB pack downloaded with scratch at the seed's commit: 'minutes' (1 to 30), "
                + "download phase (first syscall to tmp.pack closed)",
                "seed docs/TLS_DOWNLOAD_PERFORMANCE.md @7b52ac2: 'Slow HTTPS downloads (4MB repo taking minutes instead of seconds)'",
                C4_PROFILE, Map.of("client", "scratch", "policy", "akuma-tls read 10 ms, write 10 ms (before the seed's fix)"),
                "scratch clone https://git.testbed/pack-4m (4,196,041-byte pack) until tmp.pack is closed; whole-file "
                        + "writes (every write rewrites the file); libakuma-tls transport sleeping 10 ms on a read or write "
                        + "that would block",
                1, 1, 30, "min", "", ELSEWHERE);
    }

    static Reference c5At194() {
        return Reference.point("C5-194KB", "scratch's display at 194 KB received of the 255 KB pack (another run of "
                        + "Akuma's, which then stalled on a TLS read timeout)", C5_SOURCE, C5_PROFILE,
                Map.of("client", "scratch", "policy", "akuma-tls 1 ms / 1 ms"), C5_PROGRAM, C5_AT194_KBPS, "KiB/s", "",
                0.15, ELSEWHERE);
    }

    static Reference c5End() {
        return Reference.point("C5-end", "scratch's display at the end of the download, 'download finished, total 255 KB'",
                C5_SOURCE, C5_PROFILE, Map.of("client", "scratch", "policy", "akuma-tls 1 ms / 1 ms"), C5_PROGRAM,
                C5_END_KBPS, "KiB/s", "cost.sector_ns", 0.15, ELSEWHERE);
    }

    static long storedSectorNs() {
        return Profiles.resolve(C5_PROFILE, null).getLong(Settings.COST_SECTOR_NS);
    }

    /** C5 on its profile plus {@code overrides}, the client's TLS costs scaled by {@code cpuFactor}. */
    static DownloadCalibration.Run c5Run(Map<String, String> overrides, double cpuFactor) throws IOException {
        return DownloadCalibration.run(C5_PROFILE, overrides, "pack-256k", DownloadCalibration.akumaTls(1, 1),
                DownloadCalibration.cpu(cpuFactor));
    }

    /** C4 on its profile plus {@code overrides}. */
    static DownloadCalibration.Run c4Run(Map<String, String> overrides, double cpuFactor) throws IOException {
        return DownloadCalibration.run(C4_PROFILE, overrides, "pack-4m", DownloadCalibration.akumaTls(10, 10),
                DownloadCalibration.cpu(cpuFactor));
    }

    /** The display at the end, unfloored (the fit's figure). */
    static double endRate(DownloadCalibration.Run r) {
        long[] last = r.samples().get(r.samples().size() - 1);
        return last[0] * 976.0 / ((last[1] - r.requestSentNs()) / 1e3);
    }

    /**
     * Fits {@code cost.sector_ns} on C5's end display: the download's time is close to linear in the sector
     * cost, so the secant on 1/rate converges in a few runs. Rounded to 100 ns.
     */
    static long fitSectorNs() throws IOException {
        double s0 = 15_000;
        double t0 = 1 / endRate(c5Run(Map.of("cost.sector_ns", Long.toString((long) s0)), 1.0));
        double s1 = storedSectorNs() == s0 ? 30_000 : storedSectorNs();
        double target = 1 / C5_END_KBPS;
        for (int i = 0; i < 4; i++) {
            double t1 = 1 / endRate(c5Run(Map.of("cost.sector_ns", Long.toString(Math.round(s1))), 1.0));
            System.out.printf("fit: cost.sector_ns %.0f -> %.2f kbps at the end%n", s1, 1 / t1);
            if (Math.abs(t1 - target) / target < 0.005) {
                break;
            }
            double s2 = s1 + (target - t1) * (s1 - s0) / (t1 - t0);
            s0 = s1;
            t0 = t1;
            s1 = Math.max(100, s2);
        }
        return Math.round(s1 / 100) * 100;
    }

    /** Each fitted parameter halved and doubled: C1-C3 (kernel-sim), C4, C5's two figures, the 4 MiB kernel download. */
    static List<Calibration.Sensitivity> sensitivity(Calibration.Parameters p) throws IOException {
        List<Calibration.Sensitivity> kernel = Calibration.sensitivity(References.all(), p, true);
        List<Calibration.Sensitivity> rows = new ArrayList<>();
        Calibration.Parameters[][] variants = {
                {new Calibration.Parameters(p.irqLatencyUs() / 2, p.tcgFactor()), new Calibration.Parameters(p.irqLatencyUs() * 2, p.tcgFactor())},
                {new Calibration.Parameters(p.irqLatencyUs(), p.tcgFactor() / 2), new Calibration.Parameters(p.irqLatencyUs(), p.tcgFactor() * 2)}};
        double[][] cpu = {{1, 1}, {0.5, 2}};
        for (int i = 0; i < 2; i++) {
            Map<String, double[]> f = new LinkedHashMap<>(kernel.get(i).figures());
            downloads(f, new Map[] {variants[i][0].settings(), variants[i][1].settings()}, cpu[i]);
            rows.add(new Calibration.Sensitivity(kernel.get(i).parameter(), kernel.get(i).value(), f));
        }
        long s = storedSectorNs();
        Map<String, String> half = Map.of("cost.sector_ns", Long.toString(s / 2));
        Map<String, String> dbl = Map.of("cost.sector_ns", Long.toString(s * 2));
        Map<String, double[]> f = new LinkedHashMap<>();
        for (Reference r : References.all()) {
            f.put(r.id(), new double[] {Calibration.run(with(r, half), p).figure(), Calibration.run(r, p).figure(),
                    Calibration.run(with(r, dbl), p).figure()});
        }
        downloads(f, new Map[] {half, dbl}, new double[] {1, 1});
        rows.add(new Calibration.Sensitivity("cost.sector_ns", Long.toString(s), f));
        return rows;
    }

    private static Reference with(Reference r, Map<String, String> more) {
        Map<String, String> c = new LinkedHashMap<>(r.conditions());
        c.putAll(more);
        return new Reference(r.id(), r.title(), r.source(), r.profile(), c, r.program(), r.measured(), r.low(), r.high(),
                r.unit(), r.fits(), r.run());
    }

    /** Adds C4 (min) and C5's two displays for {half, fitted, double}. */
    @SuppressWarnings("unchecked")
    private static void downloads(Map<String, double[]> f, Map<?, ?>[] overrides, double[] cpu) throws IOException {
        double[] c4 = new double[3];
        double[] c194 = new double[3];
        double[] cEnd = new double[3];
        for (int v = 0; v < 3; v++) {
            Map<String, String> o = v == 1 ? Map.of() : (Map<String, String>) overrides[v / 2];
            double factor = v == 1 ? 1 : cpu[v / 2];
            DownloadCalibration.Run r5 = c5Run(o, factor);
            c194[v] = r5.kbpsAt(C5_MARK);
            cEnd[v] = r5.kbpsAtEnd();
            c4[v] = c4Run(o, factor).downloadSeconds() / 60;
        }
        f.put("C4 (min)", c4);
        f.put("C5-194KB (KiB/s)", c194);
        f.put("C5-end (KiB/s)", cEnd);
    }
}
