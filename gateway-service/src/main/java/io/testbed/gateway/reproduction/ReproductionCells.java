package io.testbed.gateway.reproduction;

import io.testbed.gateway.experiment.Cell;
import io.testbed.gateway.experiment.ExperimentPlan;
import io.testbed.gateway.experiment.MachineConfig;
import io.testbed.gateway.experiment.PolicySpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations the reproduction runs, each a cell of one experiment, named by a label the
 * {@link ClaimJudge} looks up. Each claim runs on the code state it is about (issue 15, finding 2):
 * <ul>
 *   <li>{@code policies} (claims 0, 1, 2): one download of the seed's 4 MiB pack with Akuma's scratch client
 *       on {@code akuma-7b52ac2} (the seed's commit), its libakuma-tls transport sleeping 10 ms (before the
 *       seed's fix) or 1 ms (the fix) on a read that would block; the same with high-resolution sleeps;</li>
 *   <li>{@code load} (claims 3, 4, 5, 6, 8): four downloads of a smaller pack and two interactive sessions:
 *       always-boost and the immediate poll request on the seed's commit (where they were tried), ratio 2 on
 *       {@code akuma-8316ebe} (the commit that made it), the future-work ideas against that ratio-2 code, and
 *       the same with one download and one session ({@code light});</li>
 *   <li>{@code ratio-4} (claim 4): four downloads, no sessions, on the seed's commit (ratio 4), and on
 *       {@code seed-doc} as a labelled extra (the document's description, never committed);</li>
 *   <li>{@code idle-timeout} (claim 7): a stalled link, on the HTTPS path (libakuma-tls: no idle bound) and,
 *       for the plain-HTTP path's 500 / 5000 empty-read bounds, the sleep policy with those bounds.</li>
 * </ul>
 * Every cell's link has seeded jitter ({@link #JITTER_US}), so repetitions differ.
 */
final class ReproductionCells {

    /** The seed's commit (7b52ac2, 2026-01-31): ratio 4 boosting idle thread 0, the network thread in slot 1. */
    static final String SEED = "akuma-7b52ac2";
    /** Ratio 2, EAGAIN after 500 iterations, the round-robin cursor (8316ebe, 2026-02-09). */
    static final String RATIO2 = "akuma-8316ebe";
    /** The seed document's own description (network thread is thread 0, ratio 2): never committed. */
    static final String SEED_DOC = "seed-doc";

    /**
     * Extra one-way delay of the link, uniform in [0, jitter] per segment, seeded: QEMU's user-mode network
     * (slirp) delivers in its main loop's iterations, which under TCG run a few hundred µs apart on one
     * host. An estimate (range 0-1000 µs; the sensitivity moves it over that range).
     */
    static final int JITTER_US = 300;

    static final String SLEEP_10 = "sleep 10 ms (before the fix)";
    static final String SLEEP_1 = "sleep 1 ms (the fix)";
    static final String SLEEP_10_HIRES = "sleep 10 ms, hires sleeps";
    static final String SLEEP_1_HIRES = "sleep 1 ms, hires sleeps";

    static final String SEED_LOADED = "seed's commit: ratio 4";
    static final String ALWAYS_BOOST = "seed's commit: always-boost";
    static final String IMMEDIATE = "seed's commit: poll-request-immediate";
    static final String EAGAIN_500 = "seed's commit: eagain_iterations=500";
    static final String BASELINE = "8316ebe: ratio 2";
    static final String BASELINE_ONE = "8316ebe: ratio 2, one download, no sessions";
    static final String PER_THREAD = "8316ebe: poll-request-per-thread";
    static final String RATE_LIMITED = "8316ebe: poll-request-rate-limited";
    static final String COOPERATIVE = "8316ebe: cooperative-hint";
    static final String DIRECT_POLL = "8316ebe: direct-poll";
    static final String IRQ_BLOCKING = "8316ebe: irq-wakeup + blocking recv";
    /** Prefix of the light-load cells (one download, one session). */
    static final String LIGHT = "light: ";

    static final String RATIO_4 = "ratio 4, four downloads (seed's commit)";
    static final String RATIO_4_DOC = "ratio 4, four downloads (seed-doc: as described, never committed)";

    static final String IDLE_HTTPS = "stalled, HTTPS path (libakuma-tls, no idle bound)";
    static final String IDLE_10 = "stalled, plain-HTTP bound 500 x sleep 10 ms";
    static final String IDLE_1 = "stalled, plain-HTTP bound 5000 x sleep 1 ms";

    /** One-way latency of the stalled link in claim 7, and the stall it makes after each request. */
    static final long STALL_LATENCY_US = 10_000_000;
    static final double STALL_SECONDS = 2 * STALL_LATENCY_US / 1e6;

    /** {@code watchdog.syscall_wall_ms} for the reproduction's machines (real time, a harness bound). */
    static final int SYSCALL_WALL_MS = 600_000;

    /** The bound on a clone of the seed's pack at the seed's commit: the top of C4's range (30 minutes). */
    static final double CLONE_BOUND_S = 1800;

    /** Mean time between keystrokes of a session: often enough for a latency figure within a short run. */
    static final int KEYSTROKE_INTERVAL_MS = 30;

    static final int LOAD_DOWNLOADS = 4;
    static final int LOAD_SESSIONS = 2;

    private ReproductionCells() {
    }

    /** What a cell is for: its group names the claims. */
    record Spec(String group, String label, PolicySpec policy, String profile, Map<String, String> overrides, int downloads,
                int sessions, String repo, Double bound, boolean packOnly) {

        Spec(String group, String label, PolicySpec policy, String profile, Map<String, String> overrides, int downloads,
             int sessions, String repo, Double bound) {
            this(group, label, policy, profile, overrides, downloads, sessions, repo, bound, false);
        }

        /**
         * The client this cell runs: claims 0-2 are about the pack's download ("4MB repo taking minutes"; C4 times
         * the same phase), so scratch stops there ({@code scratch-pack}) instead of going on to read the pack back,
         * unpack it and check it out, which at the seed's commit takes longer than the download.
         */
        String client(String asked) {
            return packOnly && io.testbed.gateway.download.ScratchPolicies.CLIENT.equals(asked)
                    ? io.testbed.gateway.download.ScratchPolicies.CLIENT_PACK_ONLY : asked;
        }
    }

    /**
     * The configurations of the claims.
     *
     * @param pack      the seed's pack (claims 0-2)
     * @param loadPack  the pack of the claims under load and of claim 7 (they are about shares and stalls, not size)
     */
    static List<Spec> specs(String pack, String loadPack, double bound) {
        List<Spec> s = new ArrayList<>();
        Map<String, String> none = Map.of();
        Map<String, String> hires = Map.of("sleep.model", "hires");
        // claims 0, 1, 2: the seed's commit, libakuma-tls sleeping 10 ms (before) or 1 ms (the fix); the pack's
        // download there takes simulated minutes (C4: 1-30), so these runs may go on to 30 minutes
        Double clone = Math.max(bound, CLONE_BOUND_S);
        s.add(new Spec("policies", SLEEP_10, PolicySpec.akumaTls(10), SEED, none, 1, 0, pack, clone, true));
        s.add(new Spec("policies", SLEEP_1, PolicySpec.akumaTls(1), SEED, none, 1, 0, pack, clone, true));
        s.add(new Spec("policies", SLEEP_10_HIRES, PolicySpec.akumaTls(10), SEED, hires, 1, 0, pack, clone, true));
        s.add(new Spec("policies", SLEEP_1_HIRES, PolicySpec.akumaTls(1), SEED, hires, 1, 0, pack, clone, true));

        PolicySpec akuma = PolicySpec.akumaTls(1);
        // claims 3, 5: what was tried at the seed's commit; claim 8's "more EAGAIN iterations" there too
        s.add(new Spec("load", SEED_LOADED, akuma, SEED, none, LOAD_DOWNLOADS, LOAD_SESSIONS, loadPack, null));
        s.add(new Spec("load", ALWAYS_BOOST, akuma, SEED, Map.of("sched.policy", "always-boost"), LOAD_DOWNLOADS, LOAD_SESSIONS, loadPack, null));
        s.add(new Spec("load", IMMEDIATE, akuma, SEED, Map.of("sched.policy", "poll-request-immediate"), LOAD_DOWNLOADS, LOAD_SESSIONS, loadPack, null));
        s.add(new Spec("load", EAGAIN_500, akuma, SEED, Map.of("syscall.eagain_iterations", "500"), LOAD_DOWNLOADS, LOAD_SESSIONS, loadPack, null));
        // claims 6, 8: ratio 2 as committed, and the ideas against it
        s.add(new Spec("load", BASELINE, akuma, RATIO2, none, LOAD_DOWNLOADS, LOAD_SESSIONS, loadPack, null));
        s.add(new Spec("load", BASELINE_ONE, akuma, RATIO2, none, 1, 0, loadPack, null));
        for (Map.Entry<String, Map<String, String>> idea : ideas().entrySet()) {
            PolicySpec p = idea.getKey().equals(IRQ_BLOCKING) ? PolicySpec.of("blocking") : akuma;
            s.add(new Spec("load", idea.getKey(), p, RATIO2, idea.getValue(), LOAD_DOWNLOADS, LOAD_SESSIONS, loadPack, null));
        }
        // claims 5 and 8 under a light load
        s.add(new Spec("light", LIGHT + SEED_LOADED, akuma, SEED, none, 1, 1, loadPack, null));
        s.add(new Spec("light", LIGHT + IMMEDIATE, akuma, SEED, Map.of("sched.policy", "poll-request-immediate"), 1, 1, loadPack, null));
        s.add(new Spec("light", LIGHT + EAGAIN_500, akuma, SEED, Map.of("syscall.eagain_iterations", "500"), 1, 1, loadPack, null));
        s.add(new Spec("light", LIGHT + BASELINE, akuma, RATIO2, none, 1, 1, loadPack, null));
        for (Map.Entry<String, Map<String, String>> idea : ideas().entrySet()) {
            PolicySpec p = idea.getKey().equals(IRQ_BLOCKING) ? PolicySpec.of("blocking") : akuma;
            s.add(new Spec("light", LIGHT + idea.getKey(), p, RATIO2, idea.getValue(), 1, 1, loadPack, null));
        }
        // claim 4: four downloads and nothing else
        s.add(new Spec("ratio-4", RATIO_4, akuma, SEED, none, LOAD_DOWNLOADS, 0, loadPack, null));
        s.add(new Spec("ratio-4", RATIO_4_DOC, akuma, SEED_DOC, Map.of("sched.network_thread_ratio", "4"), LOAD_DOWNLOADS, 0, loadPack, null));
        // claim 7: a stalled link; long enough to connect (one round trip) and to wait out a slow idle timeout
        Map<String, String> stalled = Map.of("link.latency_us", Long.toString(STALL_LATENCY_US), "syscall.connect_timeout_ms", "600000");
        double idleBound = Math.max(bound, STALL_SECONDS * 3);
        s.add(new Spec("idle-timeout", IDLE_HTTPS, akuma, SEED, stalled, 1, 0, loadPack, idleBound));
        s.add(new Spec("idle-timeout", IDLE_10, PolicySpec.sleep(10).withIdleTimeoutReads(500), SEED, stalled, 1, 0, loadPack, idleBound));
        s.add(new Spec("idle-timeout", IDLE_1, PolicySpec.sleep(1).withIdleTimeoutReads(5000), SEED, stalled, 1, 0, loadPack, idleBound));
        return s;
    }

    /** Claim 8's ideas as kernel settings on the ratio-2 code. */
    static Map<String, Map<String, String>> ideas() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put(PER_THREAD, Map.of("sched.policy", "poll-request-per-thread"));
        m.put(RATE_LIMITED, Map.of("sched.policy", "poll-request-rate-limited"));
        m.put(DIRECT_POLL, Map.of("net.poll_mode", "direct-poll"));
        m.put(COOPERATIVE, Map.of("sched.policy", "cooperative-hint"));
        m.put(IRQ_BLOCKING, Map.of("net.poll_mode", "irq-wakeup"));
        return m;
    }

    /**
     * The experiment: the claims' cells, then each sensitivity variant's copy of them (group
     * {@code sens:<variant>|<group>}, one repetition each, label unchanged; not the hires-sleep cells, which only
     * decide claim 1's 'holds only under' and are taken from the main run).
     *
     * @param variants the sensitivity variants, each applied to every cell
     */
    static ExperimentPlan plan(String name, ReproductionRequest r, double bound, String loadPack, List<Sensitivity.Variant> variants) {
        List<Cell> cells = new ArrayList<>();
        List<Spec> specs = specs(r.repo(), loadPack, bound);
        for (Spec s : specs) {
            cells.add(cell(cells.size(), s, s.group(), s.overrides(), s.client(r.client()), null, s.sessions(), null));
        }
        for (Sensitivity.Variant v : variants) {
            for (Spec s : specs) {
                // the hires sleeps only decide claim 1's 'holds only under': variants reuse the main run's
                if (!v.appliesTo(s) || s.label().equals(SLEEP_10_HIRES) || s.label().equals(SLEEP_1_HIRES)) {
                    continue;
                }
                Map<String, String> o = new LinkedHashMap<>(s.overrides());
                o.putAll(v.overrides(s.profile()));
                int sessions = v.sessions() != null && s.sessions() > 0 ? v.sessions() : s.sessions();
                cells.add(cell(cells.size(), s, Sensitivity.GROUP_PREFIX + v.name() + "|" + s.group(), o, s.client(r.client()), v.cpu(), sessions, 1));
            }
        }
        return new ExperimentPlan(name, "reproduction", r.seed(), r.repetitions(), r.cpu(), bound, cells);
    }

    private static Cell cell(int index, Spec s, String group, Map<String, String> overrides, String client, String cpu, int sessions,
                             Integer repetitions) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("link.jitter_us", Integer.toString(JITTER_US));
        // harness, not model: on a loaded host one syscall of a starved configuration (always-boost) can keep the
        // engine busy past the 10 s default in real time; the committed run lost one run to it
        o.put("watchdog.syscall_wall_ms", Integer.toString(SYSCALL_WALL_MS));
        o.putAll(overrides);
        if (sessions > 0) {
            o.putIfAbsent("sessions.keystroke_interval_ms", Integer.toString(KEYSTROKE_INTERVAL_MS));
        }
        return new Cell(index, s.label(), group, s.repo(), client, s.policy(), new MachineConfig(s.label(), s.profile(), o),
                s.downloads(), sessions, s.bound(), cpu, repetitions);
    }
}
