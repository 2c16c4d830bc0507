package io.testbed.gateway.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How much the gateway keeps ({@code testbed.retention.*}, issue 16 item 11). The {@link RetentionSweep}
 * deletes ended items beyond these bounds, oldest first; running ones are never deleted nor counted.
 *
 * @param maxDownloads     ended downloads kept (the newest)
 * @param maxExperiments   ended experiments kept, not counting the ones made for reproductions
 * @param maxReproductions ended reproductions kept (each with its experiment)
 * @param maxAge           ended items started longer ago than this are deleted; 0 keeps them whatever their age
 * @param sweepInterval    how often the sweep runs; 0 turns it off (DELETE still works)
 */
@ConfigurationProperties("testbed.retention")
public record RetentionProperties(@DefaultValue("1000") int maxDownloads,
                                  @DefaultValue("200") int maxExperiments,
                                  @DefaultValue("50") int maxReproductions,
                                  @DefaultValue("30d") Duration maxAge,
                                  @DefaultValue("10m") Duration sweepInterval) {

    public RetentionProperties {
        if (maxDownloads < 0 || maxExperiments < 0 || maxReproductions < 0) {
            throw new IllegalArgumentException("testbed.retention.max-downloads, max-experiments and max-reproductions must be >= 0");
        }
        if (maxAge.isNegative() || sweepInterval.isNegative()) {
            throw new IllegalArgumentException("testbed.retention.max-age and sweep-interval must be >= 0 (0: off)");
        }
    }
}
