package io.testbed.gateway.download;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * How the gateway follows downloads ({@code testbed.downloads.*}).
 *
 * @param pollInterval  how often tls-client is asked for progress
 * @param maxWall       real time after which a running download is failed and its machine deleted
 * @param unreachableFor how long tls-client may stay unreachable while polling before the download fails
 * @param pollThreads   threads polling tls-client
 * @param maxRunning    downloads running at once through the gateway; one more is refused with 429 and nothing
 *                      is created (tls-client runs at most 32 at once and queues the rest)
 * @param maxRepoBytes  the largest repository a download, experiment or reproduction may fetch (the git server's
 *                      {@code sizeBytes}); a larger one is refused with 413 before anything is created
 */
@ConfigurationProperties("testbed.downloads")
public record DownloadProperties(@DefaultValue("100ms") Duration pollInterval,
                                 @DefaultValue("30m") Duration maxWall,
                                 @DefaultValue("30s") Duration unreachableFor,
                                 @DefaultValue("2") int pollThreads,
                                 @DefaultValue("32") int maxRunning,
                                 @DefaultValue("256MB") DataSize maxRepoBytes) {
}
