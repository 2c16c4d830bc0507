package io.testbed.gateway.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxBodyBytes    the largest request body the API reads
 * @param maxBodyReadTime the longest a request body may take to arrive (a slower one gets 408)
 */
@ConfigurationProperties("testbed.api")
public record ApiProperties(@DefaultValue("16384") int maxBodyBytes,
                            @DefaultValue("10s") java.time.Duration maxBodyReadTime) {
}
