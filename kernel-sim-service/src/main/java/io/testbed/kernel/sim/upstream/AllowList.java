package io.testbed.kernel.sim.upstream;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The only endpoints a simulated machine may reach: simulated {@code host:port} mapped to a real
 * {@code host:port}. Everything else is refused, so the kernel-sim can never be used as a relay.
 */
public final class AllowList {
    private final Map<String, InetSocketAddress> entries;

    private AllowList(Map<String, InetSocketAddress> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /**
     * Parses entries of the form {@code simulated-host:port=real-host:port}.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static AllowList parse(Iterable<String> specs) {
        Map<String, InetSocketAddress> m = new LinkedHashMap<>();
        for (String spec : specs) {
            String[] sides = spec.split("=", -1);
            if (sides.length != 2) {
                throw new IllegalArgumentException("allow-list entry '" + spec + "' must be simulated-host:port=real-host:port");
            }
            HostPort sim = HostPort.parse(sides[0].trim(), spec);
            HostPort real = HostPort.parse(sides[1].trim(), spec);
            m.put(key(sim.host(), sim.port()), InetSocketAddress.createUnresolved(real.host(), real.port()));
        }
        return new AllowList(m);
    }

    /** The real endpoint for a simulated one, or null when it is not allow-listed. */
    public InetSocketAddress resolve(String host, int port) {
        return entries.get(key(host, port));
    }

    public Map<String, InetSocketAddress> entries() {
        return entries;
    }

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private record HostPort(String host, int port) {
        static HostPort parse(String s, String spec) {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new IllegalArgumentException("allow-list entry '" + spec + "': '" + s + "' must be host:port");
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("allow-list entry '" + spec + "': bad port in '" + s + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("allow-list entry '" + spec + "': port out of range in '" + s + "'");
            }
            return new HostPort(s.substring(0, colon), port);
        }
    }
}
