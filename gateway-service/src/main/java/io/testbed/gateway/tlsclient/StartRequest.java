package io.testbed.gateway.tlsclient;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * The body of tls-client's {@code POST /api/downloads}.
 *
 * @param kernel    the kernel target name, as configured in both services
 * @param machineId the machine the client's threads attach to
 * @param repo      repository name on the git server
 * @param client    TLS client name
 * @param policy    the would-block policy: {@code type} plus its own parameters
 * @param verify    how the server certificate is checked ({@code ca}: the testbed CA)
 * @param cpu       userspace CPU accounting ({@code {"mode":"modelled"}}), null for tls-client's default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StartRequest(String kernel, String machineId, String repo, String client,
                           Map<String, Object> policy, String verify, Map<String, Object> cpu) {

    public StartRequest(String kernel, String machineId, String repo, String client, Map<String, Object> policy,
                        String verify) {
        this(kernel, machineId, repo, client, policy, verify, null);
    }
}
