package io.testbed.tls.client.git;

import java.io.InputStream;
import java.nio.file.Path;
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
 */
public record FetchOptions(String agent, boolean askProgress, PackListener listener, Path tempDir,
                           UnaryOperator<InputStream> packFilter) {

    public static FetchOptions defaults(String agent) {
        return new FetchOptions(agent, false, null, null, null);
    }

    public FetchOptions withListener(PackListener l) {
        return new FetchOptions(agent, askProgress, l, tempDir, packFilter);
    }

    public FetchOptions withPackFilter(UnaryOperator<InputStream> f) {
        return new FetchOptions(agent, askProgress, listener, tempDir, f);
    }

    public FetchOptions withAskProgress(boolean ask) {
        return new FetchOptions(agent, ask, listener, tempDir, packFilter);
    }
}
