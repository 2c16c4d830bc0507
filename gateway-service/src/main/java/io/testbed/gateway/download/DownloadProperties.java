package io.testbed.gateway.download;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the gateway follows downloads ({@code testbed.downloads.*}).
 *
 * @param pollInterval  how often tls-client is asked for progress
 * @param maxWall       real time after which a running download is failed and its machine deleted
 * @param unreachableFor how long tls-client may stay unreachable while polling before the download fails
 * @param pollThreads   threads polling tls-client
 */
@ConfigurationProperties("testbed.downloads")
public record DownloadProperties(@DefaultValue("100ms") Duration pollInterval,
                                 @DefaultValue("30m") Duration maxWall,
                                 @DefaultValue("30s") Duration unreachableFor,
                                 @DefaultValue("2") int pollThreads) {
}
