package io.testbed.gateway.reproduction;

import io.testbed.gateway.common.Status;
import io.testbed.gateway.experiment.ExperimentView;
import io.testbed.gateway.experiment.RunResult;
import io.testbed.gateway.experiment.Summary;
import io.testbed.gateway.experiment.TimeSplit;
import io.testbed.kernel.api.Counters;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static io.testbed.gateway.reproduction.ReproductionCells.*;

/**
 * Judges the seed's claims from the reproduction's figures, each on the code state it is about. Each
 * claim states its rule in words (it goes into the report) and applies it to medians over the
 * repetitions. A comparison whose baseline made no progress (no download finished and none got CPU),
 * or a configuration with no figures, is {@code not measurable}, with the reason, never a verdict.
 */
final class ClaimJudge {

    static final String HOLDS = "holds";
    static final String DOES_NOT_HOLD = "does not hold";
    static final String NOT_MEASURABLE = "not measurable";

    /** The seed's pack: "a 4MB pack file". Estimates are scaled from it to the pack measured. */
    static final double SEED_PACK_BYTES = 4 * 1024 * 1024;
    /** A share of keystrokes never echoed above which a session's echo percentiles are not a latency (1%). */
    static final double ECHO_LOSS_BOUND = 0.01;

    private final Map<String, ExperimentView.CellView> cells;
    private final double packBytes;

    /** Judges the main run: the cells outside the sensitivity groups. */
    ClaimJudge(ExperimentView experiment) {
        this(mainCells(experiment.cells()));
    }

    /** Judges the cells given, by label. */
    ClaimJudge(Map<String, ExperimentView.CellView> cells) {
        this.cells = cells;
        this.packBytes = results(SLEEP_1).stream().filter(r -> r.completed() > 0).mapToDouble(r -> (double) r.io().bytes() / r.completed())
                .max().orElse(results(SLEEP_10).stream().filter(r -> r.completed() > 0)
                        .mapToDouble(r -> (double) r.io().bytes() / r.completed()).max().orElse(Double.NaN));
    }

    static Map<String, ExperimentView.CellView> mainCells(Collection<ExperimentView.CellView> all) {
        Map<String, ExperimentView.CellView> m = new LinkedHashMap<>();
        all.stream().filter(c -> c.group() == null || !c.group().startsWith(Sensitivity.GROUP_PREFIX)).forEach(c -> m.put(c.label(), c));
        return m;
    }

    List<Report.Claim> claims() {
        return List.of(claim0(), claim1(), claim2(), claim3(), claim4(), claim5(), claim6(), claim7(), claim8());
    }

    // ---- progress ----

    /**
     * Why a configuration cannot serve as a comparison's side, or null if it can: it has no figures, or it
     * made no progress (no download finished and the downloads got no CPU).
     */
    String noProgress(String label) {
        List<RunResult> rs = results(label);
        if (rs.isEmpty()) {
            return "'" + label + "' gave no figures (every run failed)";
        }
        Double done = med(label, "completedDownloads");
        Double cpu = med(label, "downloadCpuShareMean");
        Double bytes = med(label, "bytes");
        if ((done == null || done == 0) && (cpu == null || cpu < 0.001) && (bytes == null || bytes == 0)) {
            return String.format(Locale.ROOT, "'%s' made no progress: no download finished, they got %s of the CPU and %s bytes",
                    label, percent(cpu), count(bytes));
        }
        return null;
    }

    /**
     * Why a configuration's time cannot be compared, or null if it can: it made no progress, or its download did
     * not finish within the bound on simulated time (its time is then the bound, a lower bound, not a measurement).
     */
    String unfinished(String label) {
        String why = noProgress(label);
        if (why != null) {
            return why;
        }
        Double done = med(label, "completedDownloads");
        if (done == null || done < 1) {
            Double t = med(label, "simulatedSeconds");
            return String.format(Locale.ROOT, "'%s' did not finish within the bound (%s of simulated time): its time is a lower"
                    + " bound, not a measurement", label, seconds(t));
        }
        return null;
    }

    // ---- claim 0: the seed's diagnosis ----

    private Report.Claim claim0() {
        TimeSplit t = meanSplit(SLEEP_10);
        TimeSplit t1 = meanSplit(SLEEP_1);
        List<Report.Figure> f = new ArrayList<>();
        String verdict;
        String finding;
        String unfinished = unfinished(SLEEP_10);
        if (t == null || t.total() <= 0 || unfinished != null) {
            verdict = NOT_MEASURABLE;
            finding = unfinished != null ? unfinished + "." : "The 10 ms download gave no time split (no per-thread times).";
        } else {
            for (Map.Entry<String, Double> e : t.parts().entrySet()) {
                if (e.getValue() > 0) {
                    f.add(fig(e.getKey(), SLEEP_10, String.format(Locale.ROOT, "%s (%.0f%%)", seconds(e.getValue()), 100 * e.getValue() / t.total()),
                            e.getKey().startsWith("sleeping") ? "the cause" : ""));
                }
            }
            f.add(fig("the download's time", SLEEP_10, seconds(t.total()), "minutes"));
            if (t1 != null) {
                f.add(fig("the download's time", SLEEP_1, seconds(t1.total()), "seconds"));
                f.add(fig("time asleep", SLEEP_1, seconds(t1.sleeping()), ""));
            }
            double share = t.sleeping() / t.total();
            Map.Entry<String, Double> top = t.parts().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            boolean largest = top.getKey().startsWith("sleeping");
            verdict = share >= 0.5 ? HOLDS : largest ? "holds only under: the sleep is the largest part but under half the time" : DOES_NOT_HOLD;
            finding = String.format(Locale.ROOT, "Of the %s the 10 ms download took on the seed's commit, %.0f%% was the sleep after a"
                            + " would-block; the largest part was %s (%s, %.0f%%).", seconds(t.total()), 100 * share, top.getKey(),
                    seconds(top.getValue()), 100 * top.getValue() / t.total());
        }
        return new Report.Claim(0, "The diagnosis: the 10 ms sleep made the download slow",
                "\"The TLS transport layer had a **10ms sleep** on every `WouldBlock` error from the socket read.\" (Root Cause)"
                        + " \"Slow HTTPS downloads (4MB repo taking minutes instead of seconds)\" (Issue)",
                "The 10 ms download of claim 1 (" + pack(SLEEP_10) + ", " + SEED + " = the seed's commit 7b52ac2 with libakuma-tls"
                        + " sleeping 10 ms, as before the fix; the pack's download, to tmp.pack closed): its thread's simulated time split"
                        + " by the kernel's accounting.",
                "holds if the time asleep after would-blocks is at least half the download's time; 'holds only under' if it is the"
                        + " largest part but under half; otherwise does not hold, naming what dominated.",
                verdict, f, finding, null, List.of());
    }

    // ---- claim 1 ----

    private Report.Claim claim1() {
        Double t10 = med(SLEEP_10, "simulatedSeconds");
        Double t1 = med(SLEEP_1, "simulatedSeconds");
        Double h10 = med(SLEEP_10_HIRES, "simulatedSeconds");
        Double h1 = med(SLEEP_1_HIRES, "simulatedSeconds");
        Double speedUp = ratio(t10, t1);
        Double speedUpHires = ratio(h10, h1);
        double minutes = 60 * scale();
        List<Report.Figure> f = new ArrayList<>();
        f.add(fig("simulated download time", SLEEP_10, range(SLEEP_10, "simulatedSeconds", ClaimJudge::seconds), "minutes"));
        f.add(fig("simulated download time", SLEEP_1, range(SLEEP_1, "simulatedSeconds", ClaimJudge::seconds), "seconds"));
        f.add(fig("downloads finished within the bound", SLEEP_10, range(SLEEP_10, "completedDownloads", ClaimJudge::count), ""));
        f.add(fig("downloads finished within the bound", SLEEP_1, range(SLEEP_1, "completedDownloads", ClaimJudge::count), ""));
        f.add(fig("speed-up of 1 ms over 10 ms", "Akuma's sleeps (wfi until the tick)", times(speedUp), "~10x"));
        f.add(fig("simulated download time", SLEEP_10_HIRES, range(SLEEP_10_HIRES, "simulatedSeconds", ClaimJudge::seconds), ""));
        f.add(fig("simulated download time", SLEEP_1_HIRES, range(SLEEP_1_HIRES, "simulatedSeconds", ClaimJudge::seconds), ""));
        f.add(fig("speed-up of 1 ms over 10 ms", "sleep.model=hires", times(speedUpHires), "~10x"));
        String why = firstNonNull(unfinished(SLEEP_10), unfinished(SLEEP_1));
        String verdict;
        String finding;
        if (why != null || speedUp == null) {
            verdict = NOT_MEASURABLE;
            finding = why != null ? why + "." : "The 10 ms or the 1 ms download did not give a time.";
        } else {
            if (speedUp >= 5) {
                verdict = HOLDS;
            } else if (speedUpHires != null && speedUpHires >= 5) {
                verdict = "holds only under high-resolution sleeps (sleep.model=hires)";
            } else {
                verdict = DOES_NOT_HOLD;
            }
            finding = String.format(Locale.ROOT, "On the seed's commit 1 ms is %s than 10 ms (%s vs %s); with exact sleeps %s.",
                    speedUp >= 1 ? String.format(Locale.ROOT, "%.2fx faster", speedUp) : String.format(Locale.ROOT, "%.2fx slower", 1 / speedUp),
                    seconds(t1), seconds(t10), times(speedUpHires));
            finding += String.format(Locale.ROOT, " The 10 ms download takes %s: %s (\"minutes\" means at least %.0f s for this pack).",
                    seconds(t10), t10 != null && t10 >= minutes ? "minutes, as the seed says" : "not minutes", minutes);
        }
        return new Report.Claim(1, "10 ms vs 1 ms sleep on EAGAIN",
                "\"Reduced sleep time from 10ms to 1ms in three locations\" (Fix); \"~10x faster HTTPS downloads. A 4MB file that took"
                        + " minutes should now complete in seconds.\" (Expected Improvement)",
                "One download of " + pack(SLEEP_10) + " with the " + client() + " client on " + SEED + " (the seed's commit 7b52ac2: 10 ms"
                        + " tick, a sleep waits for the tick after its deadline), libakuma-tls sleeping 10 ms or 1 ms on a read that would"
                        + " block; the same with sleep.model=hires. The time is the pack's download (first syscall to tmp.pack closed, the"
                        + " phase C4 times; scratch-pack stops there), not the read-back, unpack and checkout that follow.",
                "holds if the median simulated download time with 10 ms is at least 5x the time with 1 ms (the seed's ~10x within a"
                        + " factor of two) on the seed's commit; 'holds only under high-resolution sleeps' if it reaches 5x only with"
                        + " sleep.model=hires; otherwise does not hold; not measurable if either download did not finish within the bound."
                        + " Whether 10 ms takes minutes (at least 60 s per 4 MiB) is reported beside it.",
                verdict, f, finding, null, List.of());
    }

    // ---- claim 2 ----

    private Report.Claim claim2() {
        List<RunResult> rs = results(SLEEP_10);
        Double withData = median(rs, r -> r.io().reads());
        Double wouldBlocks = median(rs, r -> r.io().wouldBlocks());
        Double allCalls = median(rs, r -> r.io().reads() + r.io().wouldBlocks());
        Double records = median(rs, r -> r.io().tlsRecords());
        Double sleep = median(rs, r -> r.io().sleepSeconds());
        Double perSleep = median(rs.stream().filter(r -> r.io().sleeps() > 0).toList(), r -> r.io().sleepSeconds() / r.io().sleeps());
        Double perRead = median(rs.stream().filter(r -> r.io().reads() > 0).toList(), r -> (double) r.io().wouldBlocks() / r.io().reads());
        double estReads = 1000 * scale();
        double estSleep = 5 * scale();
        Double eagainShare = allCalls != null && allCalls > 0 && wouldBlocks != null ? wouldBlocks / allCalls : null;
        Double recordSize = records != null && records > 0 ? packBytes / records : null;
        List<Report.Figure> f = new ArrayList<>();
        f.add(fig("recvfrom calls that returned data", SLEEP_10, count(withData), String.format(Locale.ROOT, "~%.0f TLS record reads", estReads)));
        f.add(fig("recvfrom calls in all (with data + EAGAIN)", SLEEP_10, count(allCalls), ""));
        f.add(fig("EAGAIN (would-block) returns, share of all calls", SLEEP_10, count(wouldBlocks)
                + (eagainShare == null ? "" : String.format(Locale.ROOT, " (%.0f%%)", eagainShare * 100)), String.format(Locale.ROOT, "~%.0f (50%%)", estReads / 2)));
        f.add(fig("would-blocks per read with data", SLEEP_10, perRead == null ? "-" : String.format(Locale.ROOT, "%.2f", perRead), "\"multiple\""));
        f.add(fig("TLS records received (mean size)", SLEEP_10,
                count(records) + (recordSize == null ? "" : String.format(Locale.ROOT, " (%.1f KiB)", recordSize / 1024)), "~4 KB each"));
        f.add(fig("time asleep", SLEEP_10, range(SLEEP_10, "sleepSeconds", ClaimJudge::seconds), String.format(Locale.ROOT, "~%.2f s, \"even worse\"", estSleep)));
        f.add(fig("cost of one 10 ms sleep", SLEEP_10, perSleep == null ? "-" : String.format(Locale.ROOT, "%.1f ms", perSleep * 1000), "10 ms"));
        String why = noProgress(SLEEP_10);
        String verdict;
        String finding;
        if (why != null || sleep == null) {
            verdict = NOT_MEASURABLE;
            finding = why != null ? why + "." : "The 10 ms download gave no figures.";
        } else {
            Map<String, Boolean> parts = new LinkedHashMap<>();
            parts.put("~1000 TLS record reads (reads with data within 2x)", withData != null && within(withData, estReads, 2));
            parts.put("50% hit WouldBlock (EAGAIN share of all calls 25-100%)", eagainShare != null && eagainShare >= 0.25);
            parts.put("5 s of pure sleep (within 2x)", within(sleep, estSleep, 2));
            parts.put("even worse: multiple WouldBlock per read (more than one per read with data, and more sleep than 5 s)",
                    perRead != null && perRead > 1 && sleep > estSleep);
            verdict = partial(parts);
            finding = String.format(Locale.ROOT, "%s asleep against the estimated %.2f s (%s); %s recvfrom calls returned data and %s"
                            + " returned EAGAIN, %s calls in all (%s EAGAIN), %s would-blocks per read with data; each 10 ms sleep cost %s.",
                    seconds(sleep), estSleep, times(sleep / estSleep), count(withData), count(wouldBlocks), count(allCalls),
                    eagainShare == null ? "-" : String.format(Locale.ROOT, "%.0f%%", eagainShare * 100),
                    perRead == null ? "-" : String.format(Locale.ROOT, "%.2f", perRead),
                    perSleep == null ? "-" : String.format(Locale.ROOT, "%.1f ms", perSleep * 1000));
        }
        return new Report.Claim(2, "The impact estimate",
                "\"For a 4MB download: ~1000 TLS record reads (at ~4KB each); If 50% hit WouldBlock before data arrives: 500 × 10ms ="
                        + " **5 seconds of pure sleep**; Actual impact was even worse due to multiple WouldBlock per read\"",
                "The 10 ms download of claim 1 (" + pack(SLEEP_10) + ", " + SEED + "); the seed's estimates scaled to this pack ("
                        + String.format(Locale.ROOT, "%.2f", scale()) + " x 4 MiB). 'recvfrom calls that returned data' counts the"
                        + " reads the seed calls TLS record reads; 'all calls' adds those that returned EAGAIN.",
                "four parts, each judged: reads with data within 2x of ~1000 (scaled); EAGAIN at least 25% of all calls; time asleep"
                        + " within 2x of 5 s (scaled); 'even worse': more than one would-block per read with data and more than 5 s asleep."
                        + " holds if all hold, 'holds only under' names those that do, does not hold if none.",
                verdict, f, finding, null, List.of());
    }

    // ---- claim 3 ----

    private Report.Claim claim3() {
        List<Report.Figure> f = new ArrayList<>();
        for (String c : List.of(SEED_LOADED, ALWAYS_BOOST)) {
            f.add(fig("downloads finished (of " + LOAD_DOWNLOADS + ")", c, range(c, "completedDownloads", ClaimJudge::count), ""));
            f.add(fig("CPU share per download (mean)", c, range(c, "downloadCpuShareMean", ClaimJudge::percent), c.equals(ALWAYS_BOOST) ? "starved" : ""));
            f.add(fig("CPU share of the network thread", c, range(c, "networkCpuShare", ClaimJudge::percent), ""));
            f.add(fig("slowest download", c, range(c, "simulatedSeconds", ClaimJudge::seconds), ""));
        }
        Double boost = med(ALWAYS_BOOST, "downloadCpuShareMean");
        Double doneBase = med(SEED_LOADED, "completedDownloads");
        Double doneBoost = med(ALWAYS_BOOST, "completedDownloads");
        String why = firstNonNull(noProgress(SEED_LOADED), results(ALWAYS_BOOST).isEmpty() ? "'" + ALWAYS_BOOST + "' gave no figures" : null);
        String verdict;
        String finding;
        if (why != null || boost == null || doneBoost == null) {
            verdict = NOT_MEASURABLE;
            finding = (why != null ? why : "The CPU shares could not be read") + ".";
        } else {
            boolean starved = boost < 0.01 || (doneBase != null && doneBoost < doneBase);
            verdict = starved ? HOLDS : DOES_NOT_HOLD;
            finding = String.format(Locale.ROOT, "Always boosting thread 0 (at the seed's commit: the idle loop) gives each download %s of the"
                            + " CPU and %s of %d finish within the bound (ratio 4: %s finish, %s each).", percent(boost), count(doneBoost),
                    LOAD_DOWNLOADS, count(doneBase), percent(med(SEED_LOADED, "downloadCpuShareMean")));
        }
        return new Report.Claim(3, "Always boosting thread 0 starves userspace",
                "\"Initially we tried `MAIN_THREAD_PRIORITY_BOOST = true` which always schedules thread 0 first. But this causes the"
                        + " opposite problem: since thread 0 is almost always READY (it's a polling loop that yields), userspace processes"
                        + " would get starved.\"",
                load(SEED + " (the seed's commit 7b52ac2, where it was tried; thread 0 is the idle loop there, the network loop is in"
                        + " slot 1): sched.policy=always-boost against the committed ratio 4"),
                "the baseline (ratio 4) must make progress (else not measurable); holds if under always-boost the downloads' mean CPU"
                        + " share is under 1% or fewer downloads finish within the bound than under ratio 4; otherwise does not hold. A"
                        + " starved candidate is the effect the claim names, so it is measured, not 'not measurable'.",
                verdict, f, finding, null, List.of());
    }

    // ---- claim 4 ----

    private Report.Claim claim4() {
        List<Report.Figure> f = new ArrayList<>();
        for (String c : List.of(RATIO_4, RATIO_4_DOC)) {
            f.add(fig("CPU share of the network thread", c, range(c, "networkCpuShare", ClaimJudge::percent), "25%"));
            f.add(fig("CPU share of thread 0 (idle loop at the commit)", c, range(c, "idleCpuShare", ClaimJudge::percent), "25% (thread 0)"));
            f.add(fig("network thread's share of scheduler turns", c, range(c, "networkSlotShare", ClaimJudge::percent), "25% (1 in 4)"));
            f.add(fig("CPU share of each download (least / most)", c,
                    percent(med(c, "downloadCpuShareMin")) + " / " + percent(med(c, "downloadCpuShareMax")), "~19% each"));
        }
        for (String c : List.of(RATIO_4, RATIO_4_DOC)) {
            f.add(fig("core busy (not halted)", c, percent(busy(c)), ""));
            f.add(fig("of the busy time: network / thread 0 / each download (least - most)", c, percent(busyShare(c, r -> r.cpu().networkCpuShare()))
                    + " / " + percent(busyShare(c, r -> r.cpu().idleCpuShare())) + " / " + percent(busyShare(c, RunResult::downloadCpuShareMin))
                    + " - " + percent(busyShare(c, RunResult::downloadCpuShareMax)), "25% / 25% / ~19%"));
        }
        // the seed's split is of the CPU's time in use: shares of the busy (not halted) time
        Double net = busyShare(RATIO_4, r -> r.cpu().networkCpuShare());
        Double idle = busyShare(RATIO_4, r -> r.cpu().idleCpuShare());
        Double lo = busyShare(RATIO_4, RunResult::downloadCpuShareMin);
        Double hi = busyShare(RATIO_4, RunResult::downloadCpuShareMax);
        String why = noProgress(RATIO_4);
        String verdict;
        String finding;
        if (why != null || net == null || lo == null) {
            verdict = NOT_MEASURABLE;
            finding = (why != null ? why : "The CPU shares could not be read") + ".";
        } else {
            // the parts' names carry no measured figure, so a verdict changes only when a part does (sensitivity)
            Map<String, Boolean> parts = new LinkedHashMap<>();
            parts.put("the network thread gets 25% of the CPU", Math.abs(net - 0.25) <= 0.07);
            parts.put("thread 0 gets 25% of the CPU (the idle loop at the commit)", idle != null && Math.abs(idle - 0.25) <= 0.07);
            parts.put("each of 4 downloads gets ~19%", Math.abs(lo - 0.19) <= 0.07 && Math.abs(hi - 0.19) <= 0.07);
            verdict = partial(parts);
            finding = String.format(Locale.ROOT, "Of the core's busy time the network thread gets %s, thread 0 %s, the downloads %s to %s. ",
                    percent(net), percent(idle), percent(lo), percent(hi));
            finding += String.join("; ", parts.entrySet().stream().map(e -> e.getKey() + ": " + (e.getValue() ? "yes" : "no")).toList()) + ".";
        }
        return new Report.Claim(4, "NETWORK_THREAD_RATIO = 4: the CPU split",
                "\"pub const NETWORK_THREAD_RATIO: u32 = 4;  // Thread 0 gets 25% of slots\"; CPU Distribution with NETWORK_THREAD_RATIO"
                        + " = 4: \"Thread 0 (network) 25%; Userspace threads 75% total; Each of 4 downloads ~19% each\"",
                "Four concurrent downloads of " + pack(RATIO_4) + " (libakuma-tls, 1 ms), no sessions, on " + SEED + " (the seed's commit"
                        + " 7b52ac2: ratio 4, thread 0 is the idle loop, the network thread is in slot 1). As a labelled extra, not judged:"
                        + " seed-doc, the document's own description (network loop as thread 0), never committed.",
                "three parts, each within 7 points (medians), as shares of the core's busy time (CPU time over the time the core"
                        + " was not halted: Akuma's sleeps halt it): the network thread's share is 25%; thread 0's is 25%; every"
                        + " download's is 19%. holds if all hold, 'holds only under' names exactly those that do, does not hold if none.",
                verdict, f, finding, null, List.of());
    }

    // ---- claim 5 ----

    private Report.Claim claim5() {
        List<Report.Figure> f = new ArrayList<>();
        Map<String, Boolean> starved = new LinkedHashMap<>();
        List<String> unmeasurable = new ArrayList<>();
        for (String load : List.of(LIGHT, "")) {
            String base = load + SEED_LOADED;
            String imm = load + IMMEDIATE;
            for (String c : List.of(base, imm)) {
                f.add(fig("echo latency p99 (keystrokes never echoed)", c, echo(c, "echoP99Ms"), ""));
                f.add(fig("slowest download", c, range(c, "simulatedSeconds", ClaimJudge::seconds), ""));
                f.add(fig("downloads finished", c, range(c, "completedDownloads", ClaimJudge::count), ""));
                f.add(fig("CPU share: network / sessions / downloads (mean)", c, percent(med(c, "networkCpuShare")) + " / "
                        + percent(med(c, "sessionCpuShare")) + " / " + percent(med(c, "downloadCpuShareMean")), ""));
            }
            String name = load.isEmpty() ? "heavy load" : "light load";
            String why = noProgress(base);
            if (why != null || results(imm).isEmpty()) {
                unmeasurable.add(name + ": " + (why != null ? why : "'" + imm + "' gave no figures"));
                continue;
            }
            Double echoBase = effectiveEchoP99(base), echoImm = effectiveEchoP99(imm);
            Double tBase = med(base, "simulatedSeconds"), tImm = med(imm, "simulatedSeconds");
            Double doneBase = med(base, "completedDownloads"), doneImm = med(imm, "completedDownloads");
            boolean echoWorse = echoBase != null && echoImm != null && echoImm >= 2 * echoBase;
            boolean slower = tBase != null && tImm != null && tImm >= 2 * tBase;
            boolean fewer = doneImm != null && doneBase != null && doneImm < doneBase;
            starved.put(String.format(Locale.ROOT, "%s: echo p99 %s vs %s, slowest download %s vs %s, %s vs %s finished", name,
                    millis(echoImm), millis(echoBase), seconds(tImm), seconds(tBase), count(doneImm), count(doneBase)), echoWorse || slower || fewer);
        }
        String verdict;
        if (starved.isEmpty()) {
            verdict = NOT_MEASURABLE;
        } else {
            verdict = starved.containsValue(true) ? HOLDS : DOES_NOT_HOLD;
        }
        String finding = "Immediate poll request against the committed ratio 4 on the seed's commit: " + String.join("; ", starved.entrySet().stream()
                .map(e -> e.getKey() + (e.getValue() ? " (starvation)" : " (no starvation)")).toList())
                + (unmeasurable.isEmpty() ? "" : (starved.isEmpty() ? "" : "; ") + "not measurable: " + String.join("; ", unmeasurable)) + ".";
        return new Report.Claim(5, "The immediate poll request starves other threads",
                "\"**Immediate poll request boost** - When a syscall set `POLL_REQUESTED`, scheduler immediately switched to thread 0."
                        + " This caused thread starvation because any thread hitting WouldBlock would monopolize the CPU with thread 0.\"",
                load(SEED + " (the seed's commit 7b52ac2, where ENABLE_SYSCALL_POLL_REQUEST was tried): sched.policy=poll-request-immediate"
                        + " against the committed ratio 4") + " The same with one download and one session (light load).",
                "per load, the baseline (ratio 4) must make progress, else that load is not measurable. holds if under a measurable load"
                        + " the immediate poll request makes the sessions' echo p99 at least twice the baseline's (keystrokes never echoed"
                        + " count as waiting the whole run once more than 1% are lost), or the slowest download take at least twice as"
                        + " long, or fewer downloads finish; otherwise does not hold.",
                verdict, f, finding, null, List.of());
    }

    // ---- claim 6 ----

    private Report.Claim claim6() {
        List<Report.Figure> f = new ArrayList<>();
        f.add(fig("CPU share of the network thread", BASELINE, range(BASELINE, "networkCpuShare", ClaimJudge::percent), "~50%"));
        f.add(fig("CPU share of thread 0 (idle loop)", BASELINE, range(BASELINE, "idleCpuShare", ClaimJudge::percent), "~50% (thread 0)"));
        f.add(fig("network thread's share of scheduler turns", BASELINE, range(BASELINE, "networkSlotShare", ClaimJudge::percent), "~50%"));
        f.add(fig("echo latency p50 (keystrokes never echoed)", BASELINE, echo(BASELINE, "echoP50Ms"), "reasonable"));
        f.add(fig("echo latency p99 (keystrokes never echoed)", BASELINE, echo(BASELINE, "echoP99Ms"), "reasonable"));
        f.add(fig("throughput per download", BASELINE_ONE, range(BASELINE_ONE, "perDownloadBytesPerSecond", ClaimJudge::kib), ""));
        f.add(fig("throughput per download", BASELINE, range(BASELINE, "perDownloadBytesPerSecond", ClaimJudge::kib), "degraded"));
        f.add(fig("downloads finished (of " + LOAD_DOWNLOADS + ")", BASELINE, range(BASELINE, "completedDownloads", ClaimJudge::count), ""));
        f.add(fig("of the busy time: network / thread 0", BASELINE, percent(busyShare(BASELINE, r -> r.cpu().networkCpuShare())) + " / "
                + percent(busyShare(BASELINE, r -> r.cpu().idleCpuShare())), "~50% (thread 0)"));
        Double net = busyShare(BASELINE, r -> r.cpu().networkCpuShare());
        Double p99 = effectiveEchoP99(BASELINE);
        Double one = med(BASELINE_ONE, "perDownloadBytesPerSecond");
        Double four = med(BASELINE, "perDownloadBytesPerSecond");
        String verdict;
        String finding;
        if (results(BASELINE).isEmpty() || net == null) {
            verdict = NOT_MEASURABLE;
            finding = "'" + BASELINE + "' gave no figures.";
        } else {
            Map<String, Boolean> parts = new LinkedHashMap<>();
            List<String> notMeasurable = new ArrayList<>();
            List<String> measured = new ArrayList<>();
            measured.add("the network thread's share of the busy core " + percent(net));
            parts.put("~50% of CPU time to the network thread", Math.abs(net - 0.5) <= 0.10);
            if (p99 == null) {
                notMeasurable.add("SSH responsiveness: no keystroke measured");
            } else {
                measured.add(String.format(Locale.ROOT, "echo p99 %s, %s of keystrokes never echoed", millis(p99), percent(med(BASELINE, "echoLoss"))));
                parts.put("reasonable SSH responsiveness (echo p99 under 100 ms)", p99 < 100);
            }
            String why = firstNonNull(noProgress(BASELINE_ONE), noProgress(BASELINE));
            if (why != null || one == null || four == null) {
                notMeasurable.add("degraded concurrent downloads: " + (why != null ? why + " (starvation is not a degraded speed)" : "no throughput"));
            } else {
                measured.add(String.format(Locale.ROOT, "each of four at %.0f%% of a lone download's speed, %s of %d finish within the bound",
                        one > 0 ? 100 * four / one : 0, count(med(BASELINE, "completedDownloads")), LOAD_DOWNLOADS));
                parts.put("heavy concurrent downloads degrade (each under half a lone download's speed)", four < 0.5 * one);
            }
            verdict = partial(parts);
            finding = String.join("; ", parts.entrySet().stream().map(e -> e.getKey() + ": " + (e.getValue() ? "yes" : "no")).toList())
                    + (notMeasurable.isEmpty() ? "" : "; not measurable: " + String.join("; ", notMeasurable)) + ". Measured: "
                    + String.join("; ", measured) + ".";
        }
        return new Report.Claim(6, "Ratio 2: network share, SSH responsiveness, degraded concurrent downloads",
                "\"`NETWORK_THREAD_RATIO = 2` gives thread 0 ~50% of CPU time; This provides reasonable network responsiveness for most"
                        + " use cases; Heavy concurrent downloads may still see degraded speeds\"",
                load(RATIO2 + " (8316ebe, 2026-02-09: the commit that set ratio 2, with the round-robin cursor and 500 EAGAIN iterations)")
                        + " Against one download alone on the same code (no sessions).",
                "three parts: the network thread's share of the core's busy time is 50% +/- 10 points; the sessions' echo p99 is under 100 ms (keystrokes"
                        + " never echoed count as waiting the whole run once more than 1% are lost); each of four concurrent downloads gets"
                        + " under half a lone download's throughput (both must make progress: total starvation is not 'degraded', it is"
                        + " not measurable). holds if all measurable parts hold, 'holds only under' names those that do, none: does not hold.",
                verdict, f, finding, null, List.of());
    }

    // ---- claim 7 ----

    private Report.Claim claim7() {
        List<Report.Figure> f = new ArrayList<>();
        List<RunResult> https = results(IDLE_HTTPS);
        long fired = https.stream().filter(ClaimJudge::idleFired).count();
        Double waited = median(https, r -> r.downloads().isEmpty() || r.downloads().get(0).simulatedSeconds() == null ? r.timing().simulatedSeconds()
                : r.downloads().get(0).simulatedSeconds());
        f.add(fig("idle timeouts fired on the HTTPS path", IDLE_HTTPS, https.isEmpty() ? "-" : fired + " of " + https.size() + " runs", "~5 s"));
        f.add(fig("the download's time through a " + (int) STALL_SECONDS + " s stall per request", IDLE_HTTPS, seconds(waited), ""));
        Map<String, Double> idle = new LinkedHashMap<>();
        for (String c : List.of(IDLE_10, IDLE_1)) {
            List<RunResult> rs = results(c);
            List<Double> at = new ArrayList<>();
            for (RunResult r : rs) {
                if (idleFired(r) && r.downloads().get(0).simulatedSeconds() != null) {
                    at.add(r.downloads().get(0).simulatedSeconds() - STALL_SECONDS);
                }
            }
            Double m = at.isEmpty() ? null : median(at, x -> x);
            idle.put(c, m);
            f.add(fig("time until the plain-HTTP idle bound fires (extra, not judged)", c, m == null
                    ? (rs.isEmpty() ? "-" : "did not fire within the " + (int) STALL_SECONDS + " s stall")
                    : String.format(Locale.ROOT, "%.2f s (%d of %d runs)", m, at.size(), rs.size()), "~5 s"));
        }
        String verdict;
        String finding;
        if (https.isEmpty()) {
            verdict = NOT_MEASURABLE;
            finding = "The stalled HTTPS download gave no figures.";
        } else {
            verdict = fired > 0 ? HOLDS : DOES_NOT_HOLD;
            finding = String.format(Locale.ROOT, "On Akuma's HTTPS path (libakuma-tls's transport) there is no idle bound: the stalled"
                            + " download waited out every %d s stall (%s in all) and no idle timeout fired in %d of %d runs. The 500 / 5000"
                            + " empty-read bounds belong to the plain-HTTP path; there (extra) they fire after %s (500 x 10 ms) and %s (5000 x 1 ms).",
                    (int) STALL_SECONDS, seconds(waited), https.size() - fired, https.size(), idleText(idle.get(IDLE_10)), idleText(idle.get(IDLE_1)));
        }
        return new Report.Claim(7, "The idle timeout stays ~5 s",
                "\"Timeout thresholds were increased proportionally (500 → 5000 iterations) to maintain the ~5 second idle timeout.\"",
                "One download of " + pack(IDLE_HTTPS) + " over a link with " + (STALL_LATENCY_US / 1_000_000) + " s one-way latency (no"
                        + " byte for " + (int) STALL_SECONDS + " s after each request) on " + SEED + ", judged on the HTTPS path the claim is"
                        + " about: libakuma-tls's transport (akuma-tls), which has no idle bound (transport.rs:88-118 @7b52ac2). As an"
                        + " extra, not judged: tls-client's sleep policy with the plain-HTTP path's 500 x 10 ms and 5000 x 1 ms bounds.",
                "holds if on the HTTPS path an idle timeout fires 2.5-10 s into the stall; does not hold if it never fires (there is no"
                        + " bound to keep at ~5 s); not measurable without figures.",
                verdict, f, finding, null, List.of());
    }

    private static boolean idleFired(RunResult r) {
        RunResult.DownloadFigures d = r.downloads().isEmpty() ? null : r.downloads().get(0);
        return d != null && Status.FAILED.is(d.status()) && d.error() != null && d.error().toLowerCase(Locale.ROOT).contains("idle");
    }

    private static String idleText(Double idle) {
        return idle == null ? "more than the stall (it did not fire)" : String.format(Locale.ROOT, "%.2f s", idle);
    }

    // ---- claim 8 ----

    /** The seed's future-work ideas and alternatives: cell -> what the report calls it. */
    private static Map<String, String> claim8Ideas() {
        Map<String, String> ideas = new LinkedHashMap<>();
        ideas.put(PER_THREAD, "future work 1: per-thread poll requests");
        ideas.put(RATE_LIMITED, "future work 2: rate-limited poll requests");
        ideas.put(DIRECT_POLL, "future work 3: syscalls poll the stack");
        ideas.put(COOPERATIVE, "future work 4: cooperative hint");
        ideas.put(IRQ_BLOCKING, "alternative: blocking socket");
        ideas.put(EAGAIN_500, "alternative: more EAGAIN iterations");
        return ideas;
    }

    /** Which ideas met the seed's expectation, which did not, which could not be measured. */
    private static String claim8Finding(Map<String, Boolean> met, List<String> unmeasurable) {
        return (met.isEmpty() ? "" : "As the seed expects: " + String.join("; ", met.entrySet().stream().filter(Map.Entry::getValue)
                .map(Map.Entry::getKey).toList()) + ". Not: " + String.join("; ", met.entrySet().stream().filter(e -> !e.getValue())
                .map(Map.Entry::getKey).toList()) + ".") + (unmeasurable.isEmpty() ? "" : " Not measurable: " + String.join("; ", unmeasurable) + ".");
    }

    private Report.Claim claim8() {
        Map<String, String> ideas = claim8Ideas();
        List<Report.Figure> f = new ArrayList<>();
        Map<String, Boolean> met = new LinkedHashMap<>();
        List<String> unmeasurable = new ArrayList<>();
        for (String load : List.of("", LIGHT)) {
            String loadName = load.isEmpty() ? "heavy load" : "light load";
            for (Map.Entry<String, String> e : ideas.entrySet()) {
                // more EAGAIN iterations is judged against the seed's commit it would change; the others against ratio 2
                String base = load + (e.getKey().equals(EAGAIN_500) ? SEED_LOADED : BASELINE);
                String c = load + e.getKey();
                Double tpBase = med(base, "throughputBytesPerSecond"), tp = med(c, "throughputBytesPerSecond");
                Double echoBase = effectiveEchoP99(base), echo = effectiveEchoP99(c);
                Double wbBase = med(base, "wouldBlocks"), wb = med(c, "wouldBlocks");
                String why = firstNonNull(noProgress(base), results(c).isEmpty() ? "'" + c + "' gave no figures" : null);
                if (why != null) {
                    unmeasurable.add(e.getValue() + " (" + loadName + "): " + why);
                    continue;
                }
                Double tpRatio = ratio(tp, tpBase);
                Double echoRatio = ratio(echo, echoBase);
                boolean better;
                String seedSays;
                if (e.getKey().equals(EAGAIN_500)) {
                    better = wb != null && wbBase != null && wbBase > 0 && wb <= 0.9 * wbBase;
                    seedSays = "fewer userspace retries; may hurt responsiveness";
                } else {
                    boolean echoOk = echoRatio == null || echoRatio <= 1.1 || echo < 10;
                    better = tpRatio != null && ((tpRatio >= 1.1 && echoOk) || (echoRatio != null && echoRatio <= 0.9 && tpRatio >= 0.9));
                    seedSays = e.getKey().equals(IRQ_BLOCKING) ? "no polling needed (better)" : "a potential solution (better)";
                }
                met.put(e.getValue() + " (" + loadName + ")", better);
                f.add(fig("throughput / echo p99 / would-blocks, against '" + base + "'", c, kib(tp) + " (" + times(tpRatio) + ") / "
                        + millis(echo) + " (" + times(echoRatio) + ") / " + count(wb) + " (" + count(wbBase) + ")", seedSays));
            }
        }
        String verdict = met.isEmpty() ? NOT_MEASURABLE : partial(met);
        String finding = claim8Finding(met, unmeasurable);
        return new Report.Claim(8, "The future-work ideas and the alternatives",
                "Potential solutions: \"1. **Per-thread request tracking** - Each thread gets its own poll request flag. Scheduler honors"
                        + " each thread's request once, then ignores until thread runs again. This prevents the tight loop starvation."
                        + " 2. **Rate-limited boosting** - Only honor poll requests every N milliseconds. This would spread out the boosting"
                        + " and allow other threads to run. 3. **Direct polling from syscalls** - The ideal solution would poll embassy-net"
                        + " directly from `sys_recvfrom`. 4. **Cooperative network yielding** - Instead of timer-based preemption, have the"
                        + " network thread explicitly yield after each poll cycle with a hint to run a specific waiting thread.\";"
                        + " Alternatives: \"Use blocking socket | No polling needed | Requires kernel changes\", \"Increase kernel EAGAIN"
                        + " iterations | Reduces userspace retries | May hurt responsiveness\"",
                load("each idea as a kernel setting on " + RATIO2 + " (8316ebe, the ratio-2 code the ideas were meant to improve):"
                        + " sched.policy=poll-request-per-thread, poll-request-rate-limited, cooperative-hint; net.poll_mode=direct-poll;"
                        + " net.poll_mode=irq-wakeup with the blocking policy; and syscall.eagain_iterations=500 on " + SEED
                        + " (the seed's commit, 50 iterations)") + " The same again under a light load: one download and one session.",
                "per load, the baseline must make progress, else that pair is not measurable. An idea meets the seed's expectation if its"
                        + " throughput is at least 1.1x the baseline's with an echo p99 at most 1.1x (or under 10 ms), or its echo p99 is"
                        + " at most 0.9x with a throughput at least 0.9x (keystrokes never echoed count as waiting the whole run once"
                        + " more than 1% are lost); more EAGAIN iterations meets it if would-blocks fall to 0.9x or less. holds if every"
                        + " measurable pair meets it, 'holds only under' names those that do, does not hold if none does.",
                verdict, f, finding, null, List.of());
    }

    // ---- helpers ----

    /**
     * The echo p99 a comparison uses: the measured p99 while under 1% of keystrokes went unechoed; once more
     * are lost, the unechoed ones count as waiting the whole run (its simulated time, in ms).
     */
    Double effectiveEchoP99(String label) {
        Double p99 = med(label, "echoP99Ms");
        Double loss = med(label, "echoLoss");
        Double run = med(label, "simulatedSeconds");
        if (loss != null && loss > ECHO_LOSS_BOUND && run != null) {
            return Math.max(p99 == null ? 0 : p99, run * 1000);
        }
        return p99;
    }

    private String echo(String label, String figure) {
        Double loss = med(label, "echoLoss");
        Double unechoed = med(label, "unechoed");
        String p = range(label, figure, ClaimJudge::millis);
        return loss == null ? p : p + String.format(Locale.ROOT, " (%s never echoed, %s)", count(unechoed), percent(loss));
    }

    /** Median over runs of the share of the machine's time the core was busy (not halted), null without the counter. */
    Double busy(String label) {
        List<RunResult> rs = results(label).stream().filter(r -> r.counter(Counters.HALTED_NS) != null && r.timing().machineSeconds() > 0).toList();
        return median(rs, r -> 1 - r.counter(Counters.HALTED_NS) / 1e9 / r.timing().machineSeconds());
    }

    /**
     * Median over runs of a CPU share (of the machine's time) as a share of the core's busy time (not halted);
     * the plain share for a run without the halted_ns counter.
     */
    Double busyShare(String label, Function<RunResult, Double> share) {
        List<RunResult> rs = results(label).stream().filter(r -> share.apply(r) != null).toList();
        return rs.isEmpty() ? null : median(rs, r -> {
            Long halted = r.counter(Counters.HALTED_NS);
            double busy = halted == null || r.timing().machineSeconds() <= 0 ? 1 : 1 - halted / 1e9 / r.timing().machineSeconds();
            return busy <= 0 ? 0 : share.apply(r) / busy;
        });
    }

    TimeSplit meanSplit(String label) {
        return TimeSplit.mean(results(label).stream().map(RunResult::meanTimeSplit).filter(Objects::nonNull).toList());
    }

    private static String partial(Map<String, Boolean> parts) {
        long holding = parts.values().stream().filter(b -> b).count();
        if (parts.isEmpty()) {
            return NOT_MEASURABLE;
        }
        if (holding == parts.size()) {
            return HOLDS;
        }
        if (holding == 0) {
            return DOES_NOT_HOLD;
        }
        return "holds only under: " + String.join("; ", parts.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList());
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... xs) {
        for (T x : xs) {
            if (x != null) {
                return x;
            }
        }
        return null;
    }

    private String load(String what) {
        return LOAD_DOWNLOADS + " concurrent downloads of " + pack(SEED_LOADED) + " (libakuma-tls: sleep 1 ms on a read that would"
                + " block) and " + LOAD_SESSIONS + " interactive sessions (a keystroke every " + KEYSTROKE_INTERVAL_MS + " ms on average)"
                + " on " + what + ".";
    }

    private String pack(String label) {
        ExperimentView.CellView c = cells.get(label);
        return c == null ? "the pack" : c.repo();
    }

    private String client() {
        ExperimentView.CellView any = cells.values().stream().findFirst().orElse(null);
        return any == null ? "-" : any.client();
    }

    private double scale() {
        return Double.isNaN(packBytes) ? 1 : packBytes / SEED_PACK_BYTES;
    }

    List<RunResult> results(String label) {
        ExperimentView.CellView c = cells.get(label);
        if (c == null) {
            return List.of();
        }
        return c.runs().stream().filter(r -> r.result() != null && !Status.CANCELLED.is(r.status()))
                .map(ExperimentView.RunView::result).toList();
    }

    Double med(String label, String figure) {
        ExperimentView.CellView c = cells.get(label);
        Summary.Stat s = c == null ? null : c.summary().get(figure);
        return s == null ? null : s.median();
    }

    private String range(String label, String figure, Function<Double, String> format) {
        ExperimentView.CellView c = cells.get(label);
        Summary.Stat s = c == null ? null : c.summary().get(figure);
        if (s == null) {
            return "-";
        }
        return s.n() == 1 || s.min() == s.max() ? format.apply(s.median())
                : format.apply(s.median()) + " (" + format.apply(s.min()) + " - " + format.apply(s.max()) + ")";
    }

    private static <T> Double median(List<T> items, ToDoubleFunction<T> f) {
        if (items.isEmpty()) {
            return null;
        }
        List<Double> v = new ArrayList<>(items.stream().map(f::applyAsDouble).toList());
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static Report.Figure fig(String what, String configuration, String measured, String seed) {
        return new Report.Figure(what, configuration, measured, seed);
    }

    private static boolean within(double measured, double expected, double factor) {
        return measured >= expected / factor && measured <= expected * factor;
    }

    /** a / b; over a zero b: 1 if a is zero too, infinite otherwise. */
    private static Double ratio(Double a, Double b) {
        if (a == null || b == null) {
            return null;
        }
        if (b == 0) {
            return a == 0 ? 1.0 : Double.POSITIVE_INFINITY;
        }
        return a / b;
    }

    static String seconds(Double s) {
        return s == null ? "-" : String.format(Locale.ROOT, s < 10 ? "%.3f s" : "%.1f s", s);
    }

    static String percent(Double share) {
        return share == null ? "-" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String millis(Double ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, ms < 10 ? "%.2f ms" : "%.1f ms", ms);
    }

    static String kib(Double bytesPerSecond) {
        return bytesPerSecond == null ? "-" : String.format(Locale.ROOT, "%.1f KiB/s", bytesPerSecond / 1024);
    }

    static String count(Double n) {
        return n == null ? "-" : n == Math.rint(n) ? String.format(Locale.ROOT, "%.0f", n) : String.format(Locale.ROOT, "%.1f", n);
    }

    static String times(Double x) {
        if (x != null && x.isInfinite()) {
            return "inf (baseline 0)";
        }
        return x == null ? "-" : String.format(Locale.ROOT, "%.2fx", x);
    }
}
