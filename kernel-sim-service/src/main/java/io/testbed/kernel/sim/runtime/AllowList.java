package io.testbed.kernel.sim.runtime;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The only endpoints a simulated machine may reach: simulated {@code host:port} mapped to a real
 * {@code host:port}. Everything else is refused, so the kernel-sim can never be used as a relay. An
 * entry may name the upstream's mark feed ({@code ;marks=host:port}, see {@link MarkFeed}); the allow-list
 * owns those feeds (one connection each, shared by every machine of the registry) and closes them.
 */
public final class AllowList implements AutoCloseable {
    private final Map<String, Entry> entries;

    /** One allowed endpoint: where it really is, and its mark feed or null (quiet windows only). */
    public record Entry(InetSocketAddress real, MarkFeed marks) {
    }

    private AllowList(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /**
     * Parses entries of the form {@code simulated-host:port=real-host:port[;marks=host:port]}.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static AllowList parse(Iterable<String> specs) {
        Map<String, Entry> m = new LinkedHashMap<>();
        Map<String, MarkFeed> feeds = new LinkedHashMap<>();
        for (String spec : specs) {
            String[] options = spec.split(";", -1);
            String[] sides = options[0].split("=", -1);
            if (sides.length != 2) {
                throw new IllegalArgumentException("allow-list entry '" + spec + "' must be simulated-host:port=real-host:port[;marks=host:port]");
            }
            HostPort sim = HostPort.parse(sides[0].trim(), spec);
            HostPort real = HostPort.parse(sides[1].trim(), spec);
            MarkFeed feed = null;
            for (int i = 1; i < options.length; i++) {
                String o = options[i].trim();
                if (!o.startsWith("marks=")) {
                    throw new IllegalArgumentException("allow-list entry '" + spec + "': unknown option '" + o + "' (only marks=host:port)");
                }
                HostPort at = HostPort.parse(o.substring("marks=".length()).trim(), spec);
                feed = feeds.computeIfAbsent(at.host() + ":" + at.port(),
                        k -> new MarkFeed(InetSocketAddress.createUnresolved(at.host(), at.port())));
            }
            m.put(key(sim.host(), sim.port()), new Entry(InetSocketAddress.createUnresolved(real.host(), real.port()), feed));
        }
        return new AllowList(m);
    }

    /** The real endpoint for a simulated one, or null when it is not allow-listed. */
    public InetSocketAddress resolve(String host, int port) {
        Entry e = entry(host, port);
        return e == null ? null : e.real();
    }

    /** The entry for a simulated endpoint, or null when it is not allow-listed. */
    public Entry entry(String host, int port) {
        return host == null ? null : entries.get(key(host, port));
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Closes the mark feeds. */
    @Override
    public void close() {
        entries.values().stream().map(Entry::marks).filter(java.util.Objects::nonNull).distinct().forEach(MarkFeed::close);
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
