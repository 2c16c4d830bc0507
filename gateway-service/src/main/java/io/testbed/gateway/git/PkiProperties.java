package io.testbed.gateway.git;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/** @param caFile the testbed CA certificate (PEM) the gateway trusts, and nothing else */
@ConfigurationProperties("testbed.pki")
public record PkiProperties(@DefaultValue("data/pki/ca.crt") Path caFile) {
}
