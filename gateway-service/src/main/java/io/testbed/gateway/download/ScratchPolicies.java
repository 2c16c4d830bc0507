package io.testbed.gateway.download;

import java.util.Map;

/**
 * The would-block policy of Akuma's scratch client as its code was at a kernel profile's commit:
 * libakuma-tls's {@code TcpTransport} sleeps {@code sleep_ms(read)} on a read and {@code sleep_ms(write)}
 * on a write that would block, forever (userspace/libakuma-tls/src/transport.rs:112 and 127):
 * 1 / 10 ms at 7b52ac2, 10 / 10 ms at 9528e2a7 and 22de8385, 1 / 1 ms from 8316ebea on. A profile
 * not listed (the default, {@code seed-doc}, a future one) gets the seed's commit.
 */
public final class ScratchPolicies {
    public static final String TYPE = "akuma-tls";
    /** Akuma's scratch client in tls-client, whose faithful would-block policy this is. */
    public static final String CLIENT = "scratch";
    /** Scratch stopping when the pack is downloaded (tmp.pack closed): the phase the seed and C4 time. */
    public static final String CLIENT_PACK_ONLY = "scratch-pack";

    /** profile -> {read ms, write ms}, where it differs from the seed's commit. */
    private static final Map<String, int[]> SLEEPS = Map.of(
            "akuma-9528e2a", new int[]{10, 10},
            "akuma-22de838", new int[]{10, 10},
            "akuma-8316ebe", new int[]{1, 1},
            "akuma-2026-02-09", new int[]{1, 1},
            "akuma-9a4fcd8a", new int[]{1, 1},
            "akuma-92639fb0", new int[]{1, 1},
            "akuma-a3b9e271", new int[]{1, 1},
            "akuma-9df5b7c4", new int[]{1, 1});
    private static final int[] SEED = {1, 10};

    private ScratchPolicies() {
    }

    /** libakuma-tls's transport at the profile's commit (read and write sleeps, no idle bound). */
    public static Policy forProfile(String profile) {
        int[] s = SLEEPS.getOrDefault(profile == null ? "" : profile.trim(), SEED);
        return new Policy(TYPE, s[0], null, s[1]);
    }

    /** The write sleep at the profile's commit (ms). */
    public static int writeSleepMs(String profile) {
        return SLEEPS.getOrDefault(profile == null ? "" : profile.trim(), SEED)[1];
    }

    /** The read sleep at the profile's commit (ms). */
    public static int readSleepMs(String profile) {
        return SLEEPS.getOrDefault(profile == null ? "" : profile.trim(), SEED)[0];
    }
}
