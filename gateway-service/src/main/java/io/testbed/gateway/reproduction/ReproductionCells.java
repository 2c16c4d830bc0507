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
 * {@link ClaimJudge} looks up. Every claim's configuration is expressed with kernel settings:
 * <ul>
 *   <li>{@code policies} (claims 1, 2): one download on Akuma's code at the seed's commit
 *       ({@code akuma-2026-01-31}), sleeping 10 ms or 1 ms on EAGAIN, with Akuma's sleeps and with
 *       high-resolution ones, and every other policy tls-client offers;</li>
 *   <li>{@code scheduler} (claims 3, 5, 6, 8 and the CPU chart; claim 6 also with Akuma's later round-robin
 *       cursor): the seed document's machine
 *       ({@code seed-doc}: the network thread is thread 0) under load: four downloads sleeping 1 ms and two
 *       interactive sessions, under every scheduling policy and each alternative of claim 8;</li>
 *   <li>{@code light} (claim 8 again): the seed's choice and the alternatives with one download and one session;</li>
 *   <li>{@code ratio-4} (claim 4): four downloads and nothing else at {@code NETWORK_THREAD_RATIO = 4};</li>
 *   <li>{@code idle-timeout} (claim 7): one download over a link with 10 s one-way latency, so no data
 *       comes for 20 s after each request, at 500 x 10 ms and 5000 x 1 ms.</li>
 * </ul>
 */
final class ReproductionCells {

    static final String AKUMA = "akuma-2026-01-31";
    static final String SEED_DOC = "seed-doc";

    static final String SLEEP_10 = "sleep 10 ms";
    static final String SLEEP_1 = "sleep 1 ms";
    static final String SLEEP_10_HIRES = "sleep 10 ms, hires sleeps";
    static final String SLEEP_1_HIRES = "sleep 1 ms, hires sleeps";

    static final String BASELINE = "seed's choice: ratio 2, sleep 1 ms";
    static final String RATIO_4_LOADED = "ratio 4";
    static final String ALWAYS_BOOST = "always-boost";
    static final String IMMEDIATE = "poll-request-immediate";
    static final String PER_THREAD = "poll-request-per-thread";
    static final String RATE_LIMITED = "poll-request-rate-limited";
    static final String COOPERATIVE = "cooperative-hint";
    static final String ROUND_ROBIN = "round-robin";
    static final String FAIR_SHARE = "fair-share";
    static final String DIRECT_POLL = "direct-poll";
    static final String IRQ_BLOCKING = "irq-wakeup + blocking recv";
    static final String EAGAIN_500 = "eagain_iterations=500";
    static final String BASELINE_ONE = "ratio 2, one download, no sessions";
    /** The seed's choice with Akuma's later round-robin cursor ({@code sched.round_robin_from=cursor}). */
    static final String RR_CURSOR = "ratio 2, round-robin cursor (Akuma's later code)";
    /** Prefix of the light-load cells (one download, one session). */
    static final String LIGHT = "light: ";

    static final String RATIO_4 = "ratio 4, four downloads (seed-doc)";
    static final String RATIO_4_AKUMA = "ratio 4, four downloads (akuma-2026-01-31)";

    static final String IDLE_10 = "stalled, 500 x sleep 10 ms";
    static final String IDLE_1 = "stalled, 5000 x sleep 1 ms";
    static final String IDLE_10_HIRES = "stalled, 500 x sleep 10 ms, hires sleeps";
    static final String IDLE_1_HIRES = "stalled, 5000 x sleep 1 ms, hires sleeps";

    /** One-way latency of the stalled link in claim 7, and the stall it makes after each request. */
    static final long STALL_LATENCY_US = 10_000_000;
    static final double STALL_SECONDS = 2 * STALL_LATENCY_US / 1e6;

    /**
     * Mean time between keystrokes of a session: faster than the kernel's default (150 ms) so that even a
     * short run (a small pack downloads in a fraction of a second) sees enough echoes for a latency figure.
     */
    static final int KEYSTROKE_INTERVAL_MS = 30;

    static final int LOAD_DOWNLOADS = 4;
    static final int LOAD_SESSIONS = 2;

    private ReproductionCells() {
    }

    /**
     * @param policies the would-block policy types tls-client offers
     * @param bound    the simulated-time bound of a run
     */
    static ExperimentPlan plan(String name, ReproductionRequest r, List<String> policies, double bound) {
        List<Cell> cells = new ArrayList<>();
        Builder b = new Builder(cells, r);

        // claims 1 and 2, and simulated time per would-block policy
        // the seed's timeouts: 500 x 10 ms before its fix, 5000 x 1 ms after ("increased proportionally")
        PolicySpec sleep10 = PolicySpec.sleep(10).withIdleTimeoutReads(500);
        PolicySpec sleep1 = PolicySpec.sleep(1).withIdleTimeoutReads(5000);
        b.add("policies", SLEEP_10, sleep10, AKUMA, Map.of(), 1, 0);
        b.add("policies", SLEEP_1, sleep1, AKUMA, Map.of(), 1, 0);
        b.add("policies", SLEEP_10_HIRES, sleep10, AKUMA, Map.of("sleep.model", "hires"), 1, 0);
        b.add("policies", SLEEP_1_HIRES, sleep1, AKUMA, Map.of("sleep.model", "hires"), 1, 0);
        if (policies.contains("yield")) {
            b.add("policies", "yield", PolicySpec.of("yield"), AKUMA, Map.of(), 1, 0);
        }
        if (policies.contains("backoff")) {
            b.add("policies", "backoff 1-10 ms", PolicySpec.of("backoff"), AKUMA, Map.of(), 1, 0);
        }
        if (policies.contains("poll")) {
            b.add("policies", "poll syscall", PolicySpec.of("poll"), AKUMA, Map.of("syscall.poll", "enabled"), 1, 0);
        }
        if (policies.contains("blocking")) {
            b.add("policies", "blocking recv, irq-wakeup", PolicySpec.of("blocking"), AKUMA, Map.of("net.poll_mode", "irq-wakeup"), 1, 0);
        }

        // claims 3, 5, 6, 8: the seed document's machine under load
        Map<String, String> ratio2 = Map.of("sched.network_thread_ratio", "2");
        b.add("scheduler", BASELINE, sleep1, SEED_DOC, ratio2, LOAD_DOWNLOADS, LOAD_SESSIONS);
        b.add("scheduler", RATIO_4_LOADED, sleep1, SEED_DOC, Map.of("sched.network_thread_ratio", "4"), LOAD_DOWNLOADS, LOAD_SESSIONS);
        for (String policy : List.of(ALWAYS_BOOST, IMMEDIATE, PER_THREAD, RATE_LIMITED, COOPERATIVE, ROUND_ROBIN, FAIR_SHARE)) {
            b.add("scheduler", policy, sleep1, SEED_DOC, with(ratio2, "sched.policy", policy), LOAD_DOWNLOADS, LOAD_SESSIONS);
        }
        b.add("scheduler", DIRECT_POLL, sleep1, SEED_DOC, with(ratio2, "net.poll_mode", "direct-poll"), LOAD_DOWNLOADS, LOAD_SESSIONS);
        b.add("scheduler", IRQ_BLOCKING, policies.contains("blocking") ? PolicySpec.of("blocking") : sleep1, SEED_DOC,
                with(ratio2, "net.poll_mode", "irq-wakeup"), LOAD_DOWNLOADS, LOAD_SESSIONS);
        b.add("scheduler", EAGAIN_500, sleep1, SEED_DOC, with(ratio2, "syscall.eagain_iterations", "500"), LOAD_DOWNLOADS, LOAD_SESSIONS);
        b.add("scheduler", BASELINE_ONE, sleep1, SEED_DOC, ratio2, 1, 0);
        b.add("scheduler", RR_CURSOR, sleep1, SEED_DOC, with(ratio2, "sched.round_robin_from", "cursor"), LOAD_DOWNLOADS, LOAD_SESSIONS);

        // claim 8 again under a light load: one download and one session
        b.add("light", LIGHT + BASELINE, sleep1, SEED_DOC, ratio2, 1, 1);
        for (String policy : List.of(IMMEDIATE, PER_THREAD, RATE_LIMITED, COOPERATIVE)) {
            b.add("light", LIGHT + policy, sleep1, SEED_DOC, with(ratio2, "sched.policy", policy), 1, 1);
        }
        b.add("light", LIGHT + DIRECT_POLL, sleep1, SEED_DOC, with(ratio2, "net.poll_mode", "direct-poll"), 1, 1);
        b.add("light", LIGHT + IRQ_BLOCKING, policies.contains("blocking") ? PolicySpec.of("blocking") : sleep1, SEED_DOC,
                with(ratio2, "net.poll_mode", "irq-wakeup"), 1, 1);
        b.add("light", LIGHT + EAGAIN_500, sleep1, SEED_DOC, with(ratio2, "syscall.eagain_iterations", "500"), 1, 1);

        // claim 4: four downloads and nothing else
        b.add("ratio-4", RATIO_4, sleep1, SEED_DOC, Map.of("sched.network_thread_ratio", "4"), LOAD_DOWNLOADS, 0);
        b.add("ratio-4", RATIO_4_AKUMA, sleep1, AKUMA, Map.of("sched.network_thread_ratio", "4"), LOAD_DOWNLOADS, 0);

        // claim 7: a stalled link; long enough to connect (one round trip) and to wait out a slow idle timeout
        Map<String, String> stalled = Map.of("link.latency_us", Long.toString(STALL_LATENCY_US), "syscall.connect_timeout_ms", "600000");
        double idleBound = Math.max(bound, STALL_SECONDS * 6);
        b.add("idle-timeout", IDLE_10, sleep10, AKUMA, stalled, 1, 0, idleBound);
        b.add("idle-timeout", IDLE_1, sleep1, AKUMA, stalled, 1, 0, idleBound);
        b.add("idle-timeout", IDLE_10_HIRES, sleep10, AKUMA, with(stalled, "sleep.model", "hires"), 1, 0, idleBound);
        b.add("idle-timeout", IDLE_1_HIRES, sleep1, AKUMA, with(stalled, "sleep.model", "hires"), 1, 0, idleBound);

        return new ExperimentPlan(name, "reproduction", r.seed(), r.repetitions(), r.cpu(), bound, cells);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }

    private record Builder(List<Cell> cells, ReproductionRequest r) {
        void add(String group, String label, PolicySpec policy, String profile, Map<String, String> overrides, int downloads,
                 int sessions) {
            add(group, label, policy, profile, overrides, downloads, sessions, null);
        }

        void add(String group, String label, PolicySpec policy, String profile, Map<String, String> overrides, int downloads,
                 int sessions, Double bound) {
            Map<String, String> o = overrides;
            if (sessions > 0) {
                o = with(overrides, "sessions.keystroke_interval_ms", Integer.toString(KEYSTROKE_INTERVAL_MS));
            }
            cells.add(new Cell(cells.size(), label, group, r.repo(), r.client(), policy,
                    new MachineConfig(label, profile, o), downloads, sessions, bound));
        }
    }
}
