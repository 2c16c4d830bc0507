package io.testbed.kernel.sim.api.grpc;

import io.testbed.kernel.api.grpc.BearerToken;
import io.testbed.web.security.TokenProperties;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may call the gRPC port (issue 16, item 5). kernel-sim bound beyond loopback (its gRPC address or its
 * HTTP {@code server.address}) wants {@code authorization: Bearer <testbed.security.token>} on every call,
 * checked by kernel-api's {@link BearerToken}; without a token it does not start, unless
 * {@code testbed.security.allow-anonymous=true}. On loopback (the default) nothing is checked. The HTTP
 * port has no write endpoint (actuator reads only), so it needs no token of its own. The Unix domain socket
 * ({@code testbed.kernel.grpc.uds-path}) does not open anything: only this user can reach it (a private directory,
 * an owner-only file; narrower than loopback, which every local user reaches), and it checks the same token as the
 * TCP port whenever that one does.
 * <p>
 * The same rules as gateway's, tls-client's and git-http-server's {@code TokenProperties} (copied: there is
 * no shared web module).
 */
public final class GrpcAccess {
    private static final System.Logger LOG = System.getLogger(GrpcAccess.class.getName());
    static final List<String> BIND_ADDRESSES = List.of("testbed.kernel.grpc.address", "server.address");

    private GrpcAccess() {
    }

    /**
     * The token every gRPC call must carry, or null when calls need none (loopback, or anonymous allowed).
     *
     * @throws IllegalStateException opened beyond loopback without a token, or a token that is not usable
     */
    public static BearerToken required(Environment environment) {
        String token = environment.getProperty("testbed.security.token", "");
        String file = environment.getProperty("testbed.security.token-file", "");
        if (!token.isEmpty() && !file.isEmpty()) {
            throw new IllegalStateException("set testbed.security.token or testbed.security.token-file, not both");
        }
        if (!file.isEmpty()) {
            try {
                token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read testbed.security.token-file " + file + ": " + e, e);
            }
        }
        if (!token.isEmpty() && BearerToken.problem(token) != null) {
            throw new IllegalStateException("testbed.security.token is not usable: " + BearerToken.problem(token));
        }
        List<String> opened = new ArrayList<>();
        for (String property : BIND_ADDRESSES) {
            String address = environment.getProperty(property, "").strip();
            if (!TokenProperties.isLoopback(address)) {
                opened.add(property + "=" + (address.isEmpty() ? "(every interface)" : address));
            }
        }
        if (opened.isEmpty()) {
            return null;
        }
        if (environment.getProperty("testbed.security.allow-anonymous", Boolean.class, false)) {
            LOG.log(System.Logger.Level.WARNING, "kernel-sim-service binds beyond loopback (" + String.join(", ", opened)
                    + ") and testbed.security.allow-anonymous=true: anyone who can reach the gRPC port may drive its machines");
            return null;
        }
        if (token.isEmpty()) {
            throw new IllegalStateException("kernel-sim-service binds beyond loopback (" + String.join(", ", opened)
                    + ") and has no bearer token, so anyone who can reach its gRPC port could drive its machines: set"
                    + " testbed.security.token (environment TESTBED_TOKEN) or testbed.security.token-file, bind 127.0.0.1"
                    + " (KERNEL_SIM_GRPC_ADDRESS, TESTBED_SERVER_ADDRESS), or set testbed.security.allow-anonymous=true"
                    + " on a trusted network");
        }
        return new BearerToken(token);
    }
}
