package io.testbed.gateway.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param maxBodyBytes the largest request body the API reads */
@ConfigurationProperties("testbed.api")
public record ApiProperties(@DefaultValue("16384") int maxBodyBytes) {
}
