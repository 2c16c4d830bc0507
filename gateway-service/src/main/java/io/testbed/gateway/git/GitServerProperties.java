package io.testbed.gateway.git;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * Where git-http-server is ({@code testbed.git.url}) and how long the gateway waits for it.
 *
 * @param url            its HTTPS base URL; must match a name in its certificate
 * @param connectTimeout TCP and TLS connect timeout
 * @param requestTimeout the longest one call may take
 */
@ConfigurationProperties("testbed.git")
public record GitServerProperties(@DefaultValue("https://127.0.0.1:8443") URI url,
                                  @DefaultValue("5s") Duration connectTimeout,
                                  @DefaultValue("10s") Duration requestTimeout) {
}
