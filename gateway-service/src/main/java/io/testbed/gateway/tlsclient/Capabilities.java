package io.testbed.gateway.tlsclient;

import java.util.List;

/** What tls-client-service can run: TLS client names and would-block policy types. */
public record Capabilities(List<String> clients, List<String> policies) {
}
