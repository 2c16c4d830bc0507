package io.testbed.gateway.tlsclient;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * Where tls-client-service is ({@code testbed.tls-client.url}) and how long the gateway waits for it.
 *
 * @param url              its base URL; with discovery, its scheme is used for every replica
 * @param connectTimeout   TCP connect timeout
 * @param requestTimeout   the longest one REST call may take
 * @param discoveryDns     a DNS name whose addresses are tls-client replicas (a headless Service's,
 *                         {@code tls-client-headless.<namespace>.svc.cluster.local}); empty: {@code url} alone, the
 *                         default. A replica keeps the downloads it started, so each download is followed on the
 *                         replica that started it (issue 20)
 * @param discoveryPort    the port every discovered replica serves on
 * @param discoveryRefresh how long one answer of the name is used before it is resolved again
 */
@ConfigurationProperties("testbed.tls-client")
public record TlsClientProperties(@DefaultValue("http://127.0.0.1:8082") URI url,
                                  @DefaultValue("5s") Duration connectTimeout,
                                  @DefaultValue("15s") Duration requestTimeout,
                                  @DefaultValue("") String discoveryDns,
                                  @DefaultValue("8082") int discoveryPort,
                                  @DefaultValue("5s") Duration discoveryRefresh) {

    public TlsClientProperties {
        discoveryDns = discoveryDns == null ? "" : discoveryDns.trim();
    }
}
