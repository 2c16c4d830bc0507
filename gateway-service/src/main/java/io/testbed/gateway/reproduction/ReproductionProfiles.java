package io.testbed.gateway.reproduction;

import java.util.List;

/**
 * The kernel-sim profiles the reproduction uses and the Akuma commit each models (kernel-sim's
 * {@code Profiles.describe}; AKUMA_FACTS §9), so the report names the code state behind every figure.
 */
final class ReproductionProfiles {

    private static final List<Report.Profile> USED = List.of(
            new Report.Profile(ReproductionCells.SEED, "7b52ac2", "2026-01-31", "the seed's commit: ratio 4 boosting idle thread 0,"
                    + " the network thread in slot 1, 50 EAGAIN iterations, wfi sleeps, 4 KiB sockets, 10 ms delayed ACK, whole-file"
                    + " ext2 writes and reads, herd, relative timer; libakuma-tls reads sleep 1 ms (the fix) or, set per run, 10 ms"),
            new Report.Profile(ReproductionCells.RATIO2, "8316ebea", "2026-02-09", "ratio 2, EAGAIN after 500 iterations, the"
                    + " round-robin cursor (22de838); the per-thread wakers and 1 s blocking of recvfrom are not modelled"),
            new Report.Profile(ReproductionCells.SEED_DOC, "none (as described, never committed)", "2026-01-31", "the seed"
                    + " document's description: the network loop as thread 0 with ratio 2 (set to 4 for claim 4's extra);"
                    + " the code at 7b52ac2 has neither; shown only as a labelled extra"));

    private ReproductionProfiles() {
    }

    static List<Report.Profile> used() {
        return USED;
    }

    /** The commit a profile models, or the profile's name if it is not one of the reproduction's. */
    static String commitOf(String profile) {
        return USED.stream().filter(p -> p.name().equals(profile)).map(Report.Profile::commit).findFirst().orElse(profile);
    }
}
