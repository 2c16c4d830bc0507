package io.testbed.tls.client.download;

import io.testbed.tls.client.engine.TlsEngines;

import java.util.ArrayList;
import java.util.List;

/**
 * The clients a download can name: the TLS engines ({@code bc}, {@code jdk}, {@code bcjsse},
 * {@code boringssl}), each fetching into JGit, and {@code scratch}, Akuma's scratch git client
 * (Bouncy Castle TLS underneath, the clone written to the machine's file system), and
 * {@code scratch-pack}, the same client stopping when the pack is downloaded ({@code tmp.pack} written
 * and closed: the phase the seed's "4MB repo taking minutes" and calibration reference C4 time).
 */
public final class Clients {
    public static final String SCRATCH = "scratch";
    public static final String SCRATCH_PACK = "scratch-pack";

    private Clients() {
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>(TlsEngines.names());
        names.add(SCRATCH);
        names.add(SCRATCH_PACK);
        return List.copyOf(names);
    }

    /** Whether {@code name} is Akuma's scratch client, whole clone or pack only. */
    public static boolean isScratch(String name) {
        return SCRATCH.equals(name) || SCRATCH_PACK.equals(name);
    }
}
