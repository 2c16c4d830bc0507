package io.testbed.tls.client.download;

import io.testbed.tls.client.engine.TlsEngines;

import java.util.ArrayList;
import java.util.List;

/**
 * The clients a download can name: the TLS engines ({@code bc}, {@code jdk}, {@code bcjsse},
 * {@code boringssl}), each fetching into JGit, and {@code scratch}, Akuma's scratch git client
 * (Bouncy Castle TLS underneath, the clone written to the machine's file system).
 */
public final class Clients {
    public static final String SCRATCH = "scratch";

    private Clients() {
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>(TlsEngines.names());
        names.add(SCRATCH);
        return List.copyOf(names);
    }
}
