package io.testbed.gateway.experiment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.TreeMap;

/**
 * One configuration of an experiment, run {@code repetitions} times: what is downloaded, by which
 * client and policy, on which machine, how many downloads at once, with how many interactive sessions.
 *
 * @param index     position in the experiment
 * @param label     a short name for tables and charts
 * @param group     what the cell is for (a claim of the reproduction; {@code matrix} for a user's matrix)
 * @param repo      repository on the git server
 * @param client    TLS client of tls-client
 * @param policy    would-block policy
 * @param machine   profile and overrides
 * @param downloads concurrent downloads on the machine, each its own simulated thread
 * @param sessions  interactive sessions ({@code sessions.count}) on the machine
 * @param maxSimulatedSeconds this cell's bound on a run's simulated time, null for the experiment's
 * @param cpu       tls-client's userspace CPU mode for this cell, null for the experiment's
 * @param repetitions this cell's repetitions, null for the experiment's
 */
public record Cell(int index, String label, String group, String repo, String client, PolicySpec policy,
                   MachineConfig machine, int downloads, int sessions, Double maxSimulatedSeconds, String cpu,
                   Integer repetitions) {

    public Cell(int index, String label, String group, String repo, String client, PolicySpec policy,
                MachineConfig machine, int downloads, int sessions, Double maxSimulatedSeconds, String cpu) {
        this(index, label, group, repo, client, policy, machine, downloads, sessions, maxSimulatedSeconds, cpu, null);
    }

    /** The repetitions this cell runs in a plan of {@code planRepetitions}. */
    public int repetitions(int planRepetitions) {
        return repetitions != null ? Math.min(repetitions, planRepetitions) : planRepetitions;
    }

    public Cell(int index, String label, String group, String repo, String client, PolicySpec policy,
                MachineConfig machine, int downloads, int sessions) {
        this(index, label, group, repo, client, policy, machine, downloads, sessions, null, null);
    }

    public Cell(int index, String label, String group, String repo, String client, PolicySpec policy,
                MachineConfig machine, int downloads, int sessions, Double maxSimulatedSeconds) {
        this(index, label, group, repo, client, policy, machine, downloads, sessions, maxSimulatedSeconds, null);
    }

    /** Everything that defines the cell's runs, in a fixed order (no index, label or group). */
    public String key() {
        return String.join("|", repo, client, new TreeMap<>(policy.asMap()).toString(), machine.key(),
                "downloads=" + downloads, "sessions=" + sessions) + (cpu == null ? "" : "|cpu=" + cpu);
    }

    /**
     * The machine seed of one repetition: derived from the experiment's seed, the cell's key and the
     * repetition alone, so the same cell gets the same seeds in any experiment with the same seed,
     * wherever it sits in the matrix.
     */
    public long seed(long experimentSeed, int repetition) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    (experimentSeed + "|" + key() + "|" + repetition).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
