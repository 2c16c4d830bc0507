package io.testbed.tls.client.git;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * How a fetch is made.
 *
 * @param agent        the {@code agent=} capability and User-Agent
 * @param askProgress  false sends {@code no-progress}: JGit's progress output is throttled by wall
 *                     time, so asking for it makes byte streams (and simulated timings) differ run to run
 * @param listener     pack byte progress, may be null
 * @param tempDir      where the temporary bare repository receiving the pack is made (null: system temp)
 * @param packFilter   a hook between the demultiplexed pack stream and the pack parser (tests inject
 *                     corruption here); null for none
 * @param protocol     {@code v0} (Akuma's scratch: no Git-Protocol header), {@code v1} or {@code v2}
 * @param packConsumed told the size of every read the pack parser makes (CPU accounting); may be null
 */
public record FetchOptions(String agent, boolean askProgress, PackListener listener, Path tempDir,
                           UnaryOperator<InputStream> packFilter, String protocol, LongConsumer packConsumed) {
    public static final String V0 = "v0";
    public static final String V1 = "v1";
    public static final String V2 = "v2";
    public static final List<String> PROTOCOLS = List.of(V0, V1, V2);

    public FetchOptions {
        protocol = protocol == null ? V0 : protocol;
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("protocol must be one of " + PROTOCOLS + ", was '" + protocol + "'");
        }
    }

    public FetchOptions(String agent, boolean askProgress, PackListener listener, Path tempDir,
                        UnaryOperator<InputStream> packFilter) {
        this(agent, askProgress, listener, tempDir, packFilter, V0, null);
    }

    public static FetchOptions defaults(String agent) {
        return new FetchOptions(agent, false, null, null, null);
    }

    public FetchOptions withListener(PackListener l) {
        return new FetchOptions(agent, askProgress, l, tempDir, packFilter, protocol, packConsumed);
    }

    public FetchOptions withPackFilter(UnaryOperator<InputStream> f) {
        return new FetchOptions(agent, askProgress, listener, tempDir, f, protocol, packConsumed);
    }

    public FetchOptions withAskProgress(boolean ask) {
        return new FetchOptions(agent, ask, listener, tempDir, packFilter, protocol, packConsumed);
    }

    public FetchOptions withProtocol(String p) {
        return new FetchOptions(agent, askProgress, listener, tempDir, packFilter, p, packConsumed);
    }

    public FetchOptions withPackConsumed(LongConsumer c) {
        return new FetchOptions(agent, askProgress, listener, tempDir, packFilter, protocol, c);
    }
}
