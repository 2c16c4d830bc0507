package io.testbed.tls.client.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS engines by name: {@code bc} (Bouncy Castle's low-level TlsClientProtocol), {@code jdk}
 * (SunJSSE), {@code bcjsse} (Bouncy Castle's JSSE provider), {@code boringssl} (netty-tcnative).
 */
public final class TlsEngines {

    private static final Map<String, TlsEngine> ENGINES = new LinkedHashMap<>();

    static {
        register(new BcTlsEngine());
        register(JsseTlsEngine.jdk());
        register(JsseTlsEngine.bcjsse());
        register(new BoringSslTlsEngine());
    }

    private TlsEngines() {
    }

    private static void register(TlsEngine engine) {
        ENGINES.put(engine.name(), engine);
    }

    public static List<String> names() {
        return List.copyOf(ENGINES.keySet());
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static TlsEngine get(String name) {
        TlsEngine engine = ENGINES.get(name);
        if (engine == null) {
            throw new IllegalArgumentException("unknown TLS client '" + name + "'; known: " + names());
        }
        return engine;
    }
}
