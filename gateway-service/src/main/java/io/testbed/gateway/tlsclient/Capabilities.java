package io.testbed.gateway.tlsclient;

import java.util.List;

/**
 * What tls-client-service can run: TLS client names, would-block policy types and userspace CPU modes
 * (empty when it does not say: an older tls-client).
 */
public record Capabilities(List<String> clients, List<String> policies, List<String> cpu) {

    public Capabilities(List<String> clients, List<String> policies) {
        this(clients, policies, List.of());
    }
}
