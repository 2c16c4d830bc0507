package io.testbed.gateway.tlsclient;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * Where tls-client-service is ({@code testbed.tls-client.url}) and how long the gateway waits for it.
 *
 * @param url            its base URL
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout the longest one REST call may take
 */
@ConfigurationProperties("testbed.tls-client")
public record TlsClientProperties(@DefaultValue("http://127.0.0.1:8082") URI url,
                                  @DefaultValue("5s") Duration connectTimeout,
                                  @DefaultValue("15s") Duration requestTimeout) {
}
